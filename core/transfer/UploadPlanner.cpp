#include "core/transfer/UploadPlanner.h"

#include "core/rules/StorageRules.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace clusterra {

namespace {
void addFile(UploadPlanResult &out, const QFileInfo &file, const QString &key, const QString &email,
             bool isAdmin) {
    if (!file.isReadable()) {
        out.refused << QObject::tr("%1: cannot be read").arg(file.filePath());
        return;
    }
    const QString why = rules::storageRefusal(key, rules::StorageAccess::Write, email, isAdmin);
    if (!why.isEmpty()) {
        out.refused << QStringLiteral("%1: %2").arg(file.filePath(), why);
        return;
    }
    out.uploads.append({file.absoluteFilePath(), key, file.size()});
}
} // namespace

UploadPlanResult planUploads(const QStringList &localPaths, const QString &prefix,
                             const QString &email, bool isAdmin) {
    UploadPlanResult out;
    for (const QString &path : localPaths) {
        const QFileInfo info(path);
        if (info.isFile()) {
            addFile(out, info, prefix + info.fileName(), email, isAdmin);
        } else if (info.isDir()) {
            const QDir root(info.absoluteFilePath());
            // Symlinked folders are not followed: a link back up would never end.
            QDirIterator it(root.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                const QString relative = root.relativeFilePath(it.filePath());
                addFile(out, it.fileInfo(), prefix + info.fileName() + QLatin1Char('/') + relative,
                        email, isAdmin);
            }
        } else {
            out.refused << QObject::tr("%1: not a file or folder").arg(path);
        }
    }
    return out;
}

} // namespace clusterra
