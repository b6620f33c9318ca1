#include "models/FileListModel.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

namespace clusterra {

FileListModel::FileListModel(QObject *parent)
    : QAbstractTableModel(parent) {}

int FileListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FileListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FileListModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Entry &e = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return e.key;
    case IsFolderRole:
        return e.folder;
    case SizeRole:
        return e.size;
    case SortRole:
        // Folders stay above files whichever way a column sorts.
        switch (index.column()) {
        case Size:
            return e.folder ? -1 : e.size;
        case Modified:
            return e.folder ? -1 : e.modifiedMs;
        case Type:
            return e.folder ? QString() : e.contentType;
        default:
            return QString((e.folder ? QLatin1Char('0') : QLatin1Char('1')) + e.name.toLower());
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return e.folder ? e.name + QLatin1Char('/') : e.name;
        case Size:
            return e.folder ? QString() : formatBytes(e.size);
        case Modified:
            return e.folder || e.modifiedMs == 0
                       ? QString()
                       : QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.modifiedMs),
                                            QLocale::ShortFormat);
        case Type:
            return e.folder ? tr("Folder") : e.contentType;
        }
        break;
    case Qt::ToolTipRole:
        return e.folder ? e.key : tr("%1\n%2 bytes · %3").arg(e.key).arg(e.size).arg(e.contentType);
    case Qt::AccessibleTextRole:
        return e.folder ? tr("Folder %1").arg(e.name)
                        : tr("File %1, %2").arg(e.name, formatBytes(e.size));
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant FileListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Size:
        return tr("Size");
    case Modified:
        return tr("Modified");
    case Type:
        return tr("Type");
    }
    return {};
}

Qt::ItemFlags FileListModel::flags(const QModelIndex &index) const {
    return QAbstractTableModel::flags(index) | Qt::ItemIsDragEnabled;
}

int FileListModel::rowOfKey(const QString &key) const {
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).key == key)
            return i;
    return -1;
}

bool FileListModel::containsName(const QString &name) const {
    for (const Entry &e : m_rows)
        if (e.name == name)
            return true;
    return false;
}

void FileListModel::setListing(const QString &prefix, const QStringList &folders,
                               const QList<FileEntry> &files) {
    QList<Entry> fresh;
    for (const QString &f : folders)
        fresh.append({f.mid(prefix.size()).chopped(1), f, true, 0, 0, {}, {}});
    for (const FileEntry &f : files)
        fresh.append(
            {f.key.mid(prefix.size()), f.key, false, f.size, f.modifiedMs, f.contentType, f.etag});
    if (prefix != m_prefix) {
        beginResetModel();
        m_prefix = prefix;
        m_rows = std::move(fresh);
        endResetModel();
        return;
    }
    QHash<QString, int> wanted;
    for (int i = 0; i < fresh.size(); ++i)
        wanted.insert(fresh.at(i).key, i);
    // Remove what is gone, from the bottom so row numbers stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!wanted.contains(m_rows.at(row).key)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    QHash<QString, int> have;
    for (int i = 0; i < m_rows.size(); ++i)
        have.insert(m_rows.at(i).key, i);
    QList<Entry> added;
    for (const Entry &e : std::as_const(fresh)) {
        const auto it = have.constFind(e.key);
        if (it == have.constEnd()) {
            added.append(e);
        } else if (!(m_rows.at(*it) == e)) {
            m_rows[*it] = e;
            Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
        }
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

} // namespace clusterra
