#pragma once

#include "core/api/Types.h"

#include <QAbstractTableModel>

namespace clusterra {

// One folder of a cluster's bucket: sub-folders first, then files. A refresh of the same
// folder updates rows in place (inserts, removals, dataChanged); only moving to another folder
// resets the model.
class FileListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Modified, Type, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1, IsFolderRole, SortRole, SizeRole };

    struct Entry {
        QString name;
        QString key; // full key, or the folder's prefix ending in "/"
        bool folder = false;
        qint64 size = 0;
        qint64 modifiedMs = 0;
        QString contentType;
        QString etag;
        bool operator==(const Entry &o) const {
            return key == o.key && size == o.size && modifiedMs == o.modifiedMs && etag == o.etag &&
                   contentType == o.contentType;
        }
    };

    explicit FileListModel(QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // The folder `prefix` now holds exactly these folders and files.
    void setListing(const QString &prefix, const QStringList &folders,
                    const QList<FileEntry> &files);
    QString prefix() const { return m_prefix; }
    const Entry &entry(int row) const { return m_rows.at(row); }
    int rowOfKey(const QString &key) const;
    bool containsName(const QString &name) const;

private:
    QString m_prefix;
    QList<Entry> m_rows;
};

} // namespace clusterra
