#pragma once

#include <QString>
#include <QStringList>

namespace clusterra::rules {

enum class StorageAccess { Read, Write };

// Keys in a cluster's bucket, whoever names them (the storage routes, template file
// parameters): no "..", ".", empty segments, leading "/", backslashes, control characters or
// noncharacters; at most 1024 bytes.
bool isSafeObjectKey(const QString &key, QString *why = nullptr);

// Keys in a cluster's bucket: "scripts/", "data/" and "outputs/" are per user
// ("<area>/<email>/...", private to that user, administrators included), "shared/" is readable
// by everyone and writable by admins only.
// Returns an empty string when `email` (admin or not) may use `key` that way, else the reason.
QString storageRefusal(const QString &key, StorageAccess access, const QString &email,
                       bool isAdmin);

// Whether a listing under `prefix` may show `key` to this caller.
bool mayList(const QString &key, const QString &email, bool isAdmin);

// The folder a user's files of one kind live in, e.g. "data/ada@example.com/".
QString userPrefix(const QString &area, const QString &email);

inline const QStringList kUserAreas{QStringLiteral("scripts"), QStringLiteral("data"),
                                    QStringLiteral("outputs")};

} // namespace clusterra::rules
