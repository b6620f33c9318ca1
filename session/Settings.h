#pragma once

#include <QByteArray>
#include <QString>
#include <QVariant>

namespace clusterra {

// Where a setting lives: one value for the whole console, or one per connection profile (a
// cluster id or a profile's URL means something on one server only).
enum class SettingScope { App, Profile };

template <typename T> struct SettingKey {
    const char *name;
    SettingScope scope;
    T fallback;
};

// The key table: every setting the console keeps, its scope and its default.
namespace settings {
inline const SettingKey<QString> lastProfile{"lastProfile", SettingScope::App,
                                             QStringLiteral("Local")};
inline const SettingKey<QByteArray> windowGeometry{"ui/geometry", SettingScope::App, {}};
inline const SettingKey<QByteArray> windowState{"ui/state", SettingScope::App, {}};
inline const SettingKey<QByteArray> sidebarSplitter{"ui/splitter", SettingScope::App, {}};
inline const SettingKey<QByteArray> jobColumns{"ui/jobColumns2", SettingScope::App, {}};
inline const SettingKey<int> currentTab{"ui/tab", SettingScope::App, 1}; // Jobs
inline const SettingKey<QString> lastCluster{"ui/lastCluster", SettingScope::Profile, {}};
inline const SettingKey<QString> profileUrl{"url", SettingScope::Profile, {}};
inline const SettingKey<QString> profileDataDir{"dataDir", SettingScope::Profile, {}};
inline const SettingKey<QString> profileTokenFile{"tokenFile", SettingScope::Profile, {}};
} // namespace settings

// Typed access to the console's QSettings through the key table. A Settings made for a
// profile reads and writes that profile's values under profiles/<name>/; without one,
// profile-scoped keys are neither read nor written (their defaults are returned).
class Settings {
public:
    explicit Settings(QString profile = QString())
        : m_profile(std::move(profile)) {}

    template <typename T> T get(const SettingKey<T> &key) const {
        const QVariant v = read(key.name, key.scope);
        return v.isValid() && v.canConvert<T>() ? v.value<T>() : key.fallback;
    }
    template <typename T> void set(const SettingKey<T> &key, const T &value) const {
        write(key.name, key.scope, QVariant::fromValue(value));
    }
    template <typename T> void remove(const SettingKey<T> &key) const {
        write(key.name, key.scope, QVariant());
    }
    template <typename T> bool contains(const SettingKey<T> &key) const {
        return read(key.name, key.scope).isValid();
    }

    // The QSettings key a setting has under this scope; empty for a profile key with no profile.
    QString pathOf(const char *name, SettingScope scope) const;
    // The group that holds a profile's values ("profiles/<percent-encoded name>").
    static QString profileGroup(const QString &profile);

private:
    QVariant read(const char *name, SettingScope scope) const;
    // An invalid value removes the key.
    void write(const char *name, SettingScope scope, const QVariant &value) const;

    QString m_profile;
};

} // namespace clusterra
