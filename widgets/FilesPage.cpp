#include "widgets/FilesPage.h"

#include "core/client/BucketDelete.h"

#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"
#include "core/rules/StorageRules.h"
#include "core/transfer/UploadPlanner.h"
#include "models/FileBrowser.h"
#include "models/FileListModel.h"
#include "models/TransferQueue.h"
#include "widgets/Confirm.h"
#include "widgets/TransfersPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace clusterra {

namespace {
QStringList localFiles(const QMimeData *mime) {
    QStringList paths;
    if (mime && mime->hasUrls())
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

// The browser's table, taking files and folders dropped from the desktop. A drop on a folder
// row goes into that folder, anywhere else into the folder shown.
class DropTable : public QTableView {
public:
    std::function<void(const QStringList &, const QString &)> onDrop;
    std::function<QString()> currentPrefix;
    using QTableView::QTableView;

protected:
    void dragEnterEvent(QDragEnterEvent *e) override {
        if (!localFiles(e->mimeData()).isEmpty())
            e->acceptProposedAction();
    }
    void dragMoveEvent(QDragMoveEvent *e) override {
        if (!localFiles(e->mimeData()).isEmpty())
            e->acceptProposedAction();
    }
    void dropEvent(QDropEvent *e) override {
        const QStringList paths = localFiles(e->mimeData());
        if (paths.isEmpty())
            return;
        const QModelIndex at = indexAt(e->position().toPoint());
        QString target = currentPrefix();
        if (at.isValid() && at.data(FileListModel::IsFolderRole).toBool())
            target = at.data(FileListModel::KeyRole).toString();
        e->acceptProposedAction();
        onDrop(paths, target);
    }
};
} // namespace

FilesPage::FilesPage(ApiClient *api, TransferQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_transferManager(queue->manager())
    , m_model(new FileListModel(this))
    , m_browser(new FileBrowser(api, m_model, this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    setObjectName(QStringLiteral("filesPage"));
    auto *layout = new QVBoxLayout(this);

    auto *bar = new QHBoxLayout;
    m_up = new QToolButton(this);
    m_up->setText(tr("↑ Up"));
    m_up->setObjectName(QStringLiteral("folderUp"));
    m_up->setToolTip(tr("Parent folder (Backspace)"));
    m_up->setShortcut(QKeySequence(Qt::Key_Backspace));
    connect(m_up, &QToolButton::clicked, m_browser, &FileBrowser::up);
    bar->addWidget(m_up);
    m_crumbs = new QHBoxLayout;
    m_crumbs->setSpacing(0);
    bar->addLayout(m_crumbs);
    bar->addStretch();
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("fileFilter"));
    m_filter->setPlaceholderText(tr("Filter this folder"));
    m_filter->setAccessibleName(tr("Filter files"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter);
    layout->addLayout(bar);

    auto *actions = new QHBoxLayout;
    auto addButton = [&](const QString &name, const QString &text, const QString &tip, auto slot) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        actions->addWidget(b);
        return b;
    };
    addButton(QStringLiteral("uploadFiles"), tr("Upload files…"),
              tr("Upload files into this folder (or drop them on the list)"),
              [this] { chooseUploadFiles(false); });
    addButton(QStringLiteral("uploadFolder"), tr("Upload folder…"),
              tr("Upload a whole folder, keeping its layout"), [this] { chooseUploadFiles(true); });
    addButton(QStringLiteral("downloadFiles"), tr("Download…"),
              tr("Download the selected files and folders"), [this] { chooseDownloadDir(); });
    addButton(QStringLiteral("newFolder"), tr("New folder…"), tr("Make a folder here"),
              [this] { askNewFolder(); });
    addButton(QStringLiteral("deleteFiles"), tr("Delete"), tr("Delete the selection (Del)"),
              [this] { deleteSelection(); })
        ->setShortcut(QKeySequence::Delete);
    actions->addStretch();
    addButton(QStringLiteral("refreshFiles"), tr("Refresh"), tr("List this folder again"),
              [this] { m_browser->refresh(); });
    layout->addLayout(actions);

    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("filesState"));
    m_state->setWordWrap(true);
    layout->addWidget(m_state);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("filesSplitter"));
    auto *table = new DropTable(split);
    table->currentPrefix = [this] {
        return m_browser->prefix();
    };
    table->onDrop = [this](const QStringList &paths, const QString &target) {
        uploadPaths(paths, target);
    };
    m_view = table;
    m_view->setObjectName(QStringLiteral("fileTable"));
    m_view->setAccessibleName(tr("Files"));
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FileListModel::SortRole);
    m_proxy->setFilterKeyColumn(FileListModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(FileListModel::Name, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(FileListModel::Name, 360);
    m_view->setColumnWidth(FileListModel::Size, 100);
    m_view->setColumnWidth(FileListModel::Modified, 170);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QTableView::customContextMenuRequested, this, &FilesPage::showContextMenu);
    connect(m_view, &QTableView::activated, this, &FilesPage::openRow);
    m_transfers = new TransfersPanel(queue, split);
    split->addWidget(m_view);
    split->addWidget(m_transfers);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_browser, &FileBrowser::prefixChanged, this, &FilesPage::rebuildCrumbs);
    connect(m_browser, &FileBrowser::loadingChanged, this, &FilesPage::updateState);
    connect(m_browser, &FileBrowser::loaded, this, [this] {
        m_error.clear();
        updateState();
    });
    connect(m_browser, &FileBrowser::failed, this, [this](const ApiError &e) {
        m_error = e.message;
        updateState();
    });
    connect(m_transferManager, &TransferManager::transferEnded, this,
            [this](const QString &clusterId, const QString &key, bool uploaded, bool ok) {
                // A finished upload into the folder on screen (or below it) shows up soon; a
                // folder of a thousand small files costs one listing, not a thousand.
                if (uploaded && ok && clusterId == m_clusterId &&
                    key.startsWith(m_browser->prefix()))
                    m_refreshSoon->start();
            });
    m_refreshSoon = new QTimer(this);
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(300);
    connect(m_refreshSoon, &QTimer::timeout, m_browser, &FileBrowser::refresh);
    rebuildCrumbs({});
    updateState();
}

void FilesPage::setCluster(const QString &clusterId) {
    m_clusterId = clusterId;
    m_error.clear();
    m_browser->setCluster(clusterId);
    updateState();
}

void FilesPage::setUser(const QString &email, bool isAdmin) {
    m_email = email;
    m_admin = isAdmin;
}

void FilesPage::rebuildCrumbs(const QString &prefix) {
    while (QLayoutItem *item = m_crumbs->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QStringList crumbs = FileBrowser::crumbs(prefix);
    for (const QString &crumb : crumbs) {
        auto *b = new QToolButton(this);
        b->setAutoRaise(true);
        const QString name =
            crumb.isEmpty() ? tr("Bucket") : crumb.section(QLatin1Char('/'), -2, -2);
        b->setText(name);
        if (crumb == crumbs.last()) {
            QFont f = b->font();
            f.setBold(true);
            b->setFont(f);
        }
        b->setObjectName(QStringLiteral("crumb"));
        b->setToolTip(crumb.isEmpty() ? tr("Top of the bucket") : crumb);
        b->setAccessibleName(tr("Go to %1").arg(crumb.isEmpty() ? tr("the top") : crumb));
        connect(b, &QToolButton::clicked, m_browser, [this, crumb] { m_browser->open(crumb); });
        m_crumbs->addWidget(b);
        if (crumb != crumbs.last())
            m_crumbs->addWidget(new QLabel(QStringLiteral("›"), this));
    }
    m_up->setEnabled(!prefix.isEmpty());
    m_filter->clear();
}

void FilesPage::updateState() {
    QString text;
    if (m_clusterId.isEmpty())
        text = tr("Select a cluster to see its files.");
    else if (!m_error.isEmpty())
        text = tr("<span style='color:#d9534f'>Cannot list %1: %2</span>")
                   .arg(m_browser->prefix().isEmpty() ? tr("the bucket") : m_browser->prefix(),
                        m_error.toHtmlEscaped());
    else if (m_browser->isLoading() && m_model->rowCount() == 0)
        text = tr("Loading…");
    else if (m_model->rowCount() == 0)
        text = tr("This folder is empty. Drop files here or use Upload files… to add some.");
    else if (m_browser->prefix().isEmpty())
        text = tr("Your files live in data/, scripts/ and outputs/ (job output). shared/ is "
                  "readable by everyone.");
    m_state->setText(text);
    m_state->setVisible(!text.isEmpty());
}

void FilesPage::openRow(const QModelIndex &index) {
    if (index.data(FileListModel::IsFolderRole).toBool())
        m_browser->open(index.data(FileListModel::KeyRole).toString());
    else
        chooseDownloadDir();
}

FilesPage::Selected FilesPage::selection() const {
    Selected out;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows()) {
        const FileListModel::Entry &e = m_model->entry(m_proxy->mapToSource(i).row());
        if (e.folder)
            out.folders << e.key;
        else
            out.files.append({e.key, e.size, e.etag, e.contentType, e.modifiedMs});
    }
    return out;
}

QString FilesPage::uploadTarget(const QString &prefix) const {
    // A per-user area's top ("data/") holds only users' folders: upload into one's own.
    for (const QString &area : rules::kUserAreas)
        if (prefix == area + QLatin1Char('/'))
            return rules::userPrefix(area, m_email);
    return prefix;
}

void FilesPage::uploadPaths(const QStringList &localPaths, const QString &targetPrefix) {
    if (m_clusterId.isEmpty())
        return;
    const QString target = uploadTarget(targetPrefix);
    const UploadPlanResult plan = planUploads(localPaths, target, m_email, m_admin);
    if (!plan.refused.isEmpty())
        Q_EMIT statusMessage(tr("Not uploaded: %1").arg(plan.refused.join(QStringLiteral("; "))));
    if (plan.uploads.isEmpty())
        return;
    const QString clusterId = m_clusterId;
    // One listing of the target tells which files already exist; replacing them is asked once.
    m_api->files().listAll(
        clusterId, target, this,
        [this, clusterId, plan](const QList<FileEntry> &existing, const ApiError &e) {
            if (e.isError()) {
                Q_EMIT statusMessage(tr("Cannot upload: %1").arg(e.message));
                return;
            }
            QSet<QString> have;
            for (const FileEntry &f : existing)
                have.insert(f.key);
            QList<PlannedUpload> fresh, clashing;
            for (const PlannedUpload &u : plan.uploads)
                (have.contains(u.key) ? clashing : fresh).append(u);
            if (clashing.isEmpty())
                return queueUploads(fresh);
            QStringList names;
            for (const PlannedUpload &u : std::as_const(clashing).mid(0, 5))
                names << u.key;
            if (clashing.size() > 5)
                names << tr("…and %n more", nullptr, int(clashing.size() - 5));
            Confirm::ask(this, tr("Replace files?"),
                         tr("%n file(s) already exist:\n%1\n\nReplace them with the local copies?",
                            nullptr, int(clashing.size()))
                             .arg(names.join(QLatin1Char('\n'))),
                         tr("Replace"), tr("Skip them"), [this, fresh, clashing](bool replace) {
                             queueUploads(replace ? fresh + clashing : fresh);
                         });
        });
}

void FilesPage::queueUploads(const QList<PlannedUpload> &uploads) {
    for (const PlannedUpload &u : uploads)
        m_transferManager->upload(m_clusterId, u.localPath, u.key);
    if (!uploads.isEmpty())
        Q_EMIT statusMessage(tr("%n upload(s) queued", nullptr, int(uploads.size())));
}

void FilesPage::chooseUploadFiles(bool folder) {
    if (m_clusterId.isEmpty())
        return;
    auto *dialog = new QFileDialog(this, folder ? tr("Upload a folder") : tr("Upload files"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(folder ? QFileDialog::Directory : QFileDialog::ExistingFiles);
    const QString target = m_browser->prefix();
    connect(dialog, &QFileDialog::filesSelected, this,
            [this, target](const QStringList &paths) { uploadPaths(paths, target); });
    dialog->open();
}

void FilesPage::chooseDownloadDir() {
    const Selected sel = selection();
    if (sel.files.isEmpty() && sel.folders.isEmpty()) {
        Q_EMIT statusMessage(tr("Select files or folders to download."));
        return;
    }
    auto *dialog = new QFileDialog(this, tr("Download to"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString &dir) { downloadSelectionTo(dir); });
    dialog->open();
}

void FilesPage::downloadSelectionTo(const QString &dir) {
    const Selected sel = selection();
    const QDir into(dir);
    for (const FileEntry &f : sel.files)
        m_transferManager->download(m_clusterId, f.key,
                                    into.filePath(f.key.section(QLatin1Char('/'), -1)));
    for (const QString &folder : sel.folders) {
        // "data/ada/run1/" lands as DIR/run1/..., keeping the layout below it.
        const QString parent = folder.left(folder.lastIndexOf(QLatin1Char('/'), -2) + 1);
        m_api->files().listAll(
            m_clusterId, folder, this,
            [this, into, parent, clusterId = m_clusterId](const QList<FileEntry> &files,
                                                          const ApiError &e) {
                if (e.isError()) {
                    Q_EMIT statusMessage(tr("Cannot download: %1").arg(e.message));
                    return;
                }
                for (const FileEntry &f : files)
                    m_transferManager->download(clusterId, f.key,
                                                into.filePath(f.key.mid(parent.size())));
            });
    }
}

void FilesPage::deleteSelection() {
    const Selected sel = selection();
    if (sel.files.isEmpty() && sel.folders.isEmpty())
        return;
    const QString clusterId = m_clusterId;
    QStringList files;
    for (const FileEntry &f : sel.files)
        files << f.key;
    // Folders are their files: list them all first, then ask once with the real count.
    planDeletion(*m_api, clusterId, files, sel.folders, this, [=, this](const DeletionPlan &plan) {
        const QString unlisted = plan.unlisted.join(QStringLiteral("; "));
        if (plan.keys.isEmpty()) {
            if (!plan.unlisted.isEmpty())
                Q_EMIT statusMessage(tr("Nothing deleted: could not list %1").arg(unlisted));
            m_browser->refresh(); // empty folders made here: nothing to delete on the server
            return;
        }
        QStringList shown = plan.keys.mid(0, 5);
        if (plan.keys.size() > 5)
            shown << tr("…and %n more", nullptr, int(plan.keys.size() - 5));
        QString text =
            tr("Delete %n file(s)? This cannot be undone.\n\n%1", nullptr, int(plan.keys.size()))
                .arg(shown.join(QLatin1Char('\n')));
        if (!plan.unlisted.isEmpty())
            text += QStringLiteral("\n\n") +
                    tr("Not included, their contents could not be listed: %1").arg(unlisted);
        Confirm::ask(this, tr("Delete files"), text, tr("Delete"), tr("Keep"), [=, this](bool yes) {
            if (!yes)
                return;
            deleteKeys(*m_api, clusterId, plan.keys, this, [=, this](const DeletionOutcome &done) {
                QStringList parts{tr("%n file(s) deleted", nullptr, done.deleted)};
                if (!done.failures.isEmpty())
                    parts << tr("not deleted: %1").arg(done.failures.join(QStringLiteral("; ")));
                if (!plan.unlisted.isEmpty())
                    parts << tr("not listed: %1").arg(unlisted);
                Q_EMIT statusMessage(parts.join(QStringLiteral("; ")));
                m_browser->refresh();
            });
        });
    });
}

QString FilesPage::createFolder(const QString &name) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.contains(QLatin1Char('/')))
        return tr("A folder name cannot be empty or contain /.");
    const QString probe = uploadTarget(m_browser->prefix()) + trimmed + QStringLiteral("/x");
    const QString why = rules::storageRefusal(probe, rules::StorageAccess::Write, m_email, m_admin);
    if (!why.isEmpty())
        return why;
    if (m_model->containsName(trimmed))
        return tr("%1 already exists here.").arg(trimmed);
    const QString parent = uploadTarget(m_browser->prefix());
    if (parent != m_browser->prefix())
        m_browser->open(parent);
    m_browser->addFolder(trimmed);
    m_browser->open(parent + trimmed + QLatin1Char('/'));
    return {};
}

void FilesPage::askNewFolder() {
    if (m_clusterId.isEmpty())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New folder"));
    dialog->setLabelText(tr("Name of the new folder in %1:")
                             .arg(uploadTarget(m_browser->prefix()).isEmpty()
                                      ? tr("the bucket")
                                      : uploadTarget(m_browser->prefix())));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        const QString error = createFolder(name);
        if (!error.isEmpty())
            Q_EMIT statusMessage(error);
    });
    dialog->open();
}

void FilesPage::copySelectionKey() {
    const Selected sel = selection();
    QStringList keys = sel.folders;
    for (const FileEntry &f : sel.files)
        keys << f.key;
    if (!keys.isEmpty())
        QApplication::clipboard()->setText(keys.join(QLatin1Char('\n')));
}

void FilesPage::copySelectionLink() {
    const Selected sel = selection();
    if (sel.files.size() != 1)
        return;
    m_api->files().presign(
        m_clusterId, sel.files.first().key, "GET", {}, this,
        [this](const PresignedUrl &p, const ApiError &e) {
            if (e.isError()) {
                Q_EMIT statusMessage(tr("Cannot make a link: %1").arg(e.message));
                return;
            }
            QApplication::clipboard()->setText(p.url.toString(QUrl::FullyEncoded));
            Q_EMIT statusMessage(
                tr("Link copied; it works until %1 for anyone who has it.")
                    .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(p.expiresAtMs),
                                            QLocale::ShortFormat)));
        });
}

void FilesPage::showContextMenu(const QPoint &pos) {
    const Selected sel = selection();
    QMenu menu(this);
    const bool any = !sel.files.isEmpty() || !sel.folders.isEmpty();
    if (sel.folders.size() == 1 && sel.files.isEmpty())
        menu.addAction(tr("Open"), this, [this, f = sel.folders.first()] { m_browser->open(f); });
    menu.addAction(tr("Download…"), this, &FilesPage::chooseDownloadDir)->setEnabled(any);
    menu.addAction(tr("Copy key"), this, &FilesPage::copySelectionKey)->setEnabled(any);
    menu.addAction(tr("Copy download link"), this, &FilesPage::copySelectionLink)
        ->setEnabled(sel.files.size() == 1 && sel.folders.isEmpty());
    menu.addSeparator();
    menu.addAction(tr("New folder…"), this, &FilesPage::askNewFolder);
    menu.addAction(tr("Delete"), this, &FilesPage::deleteSelection)->setEnabled(any);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace clusterra
