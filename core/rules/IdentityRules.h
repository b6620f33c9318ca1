#pragma once

#include <QString>
#include <optional>

// Who someone is, as the server stores it and the other rules build on: the e-mail that names
// a user's storage folders and the Linux account their jobs run under. Written once here for
// sign-in, the user directory, the storage rules and the cluster form.
namespace clusterra::rules {

inline constexpr char kLinuxUserPattern[] = "(?!root$)[a-z_][a-z0-9._-]*";
inline constexpr int kMaxLinuxUserLength = 32;

// The e-mail claim as the server keeps it (trimmed, lower case), or nullopt with the reason
// when it cannot name a user: one "@", a local part of 1-64 characters without "/", "\",
// spaces, quotes or control characters (it becomes a storage folder name), and a domain of
// dot-separated letters, digits and hyphens.
std::optional<QString> normalizedEmail(const QString &claim, QString *why = nullptr);

// A name useradd would take and that is not root: [a-z_][a-z0-9._-]*, at most 32 characters.
bool isValidLinuxUser(const QString &name);

// The Linux account an e-mail maps to by default: its local part when that is a valid name as
// it stands, else empty (an administrator sets one). Never a rewrite: "j.doe+hpc" maps to no
// one rather than to someone else's "j_doe_hpc".
QString defaultLinuxUser(const QString &email);

} // namespace clusterra::rules
