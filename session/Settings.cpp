#include "session/Settings.h"

#include <QSettings>
#include <QUrl>

namespace clusterra {

QString Settings::profileGroup(const QString &profile) {
    // Groups nest at '/', and a profile's name is often a URL: stored percent-encoded, so
    // "https://hpc.example.org/x" is one group, not three.
    return QStringLiteral("profiles/") + QString::fromLatin1(QUrl::toPercentEncoding(profile));
}

QString Settings::pathOf(const char *name, SettingScope scope) const {
    const QString key = QString::fromLatin1(name);
    if (scope == SettingScope::App)
        return key;
    return m_profile.isEmpty() ? QString() : profileGroup(m_profile) + QLatin1Char('/') + key;
}

QVariant Settings::read(const char *name, SettingScope scope) const {
    const QString path = pathOf(name, scope);
    return path.isEmpty() ? QVariant() : QSettings().value(path);
}

void Settings::write(const char *name, SettingScope scope, const QVariant &value) const {
    const QString path = pathOf(name, scope);
    if (path.isEmpty())
        return;
    QSettings s;
    if (value.isValid())
        s.setValue(path, value);
    else
        s.remove(path);
}

} // namespace clusterra
