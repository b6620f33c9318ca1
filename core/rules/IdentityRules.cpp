#include "core/rules/IdentityRules.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace clusterra::rules {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("IdentityRules", text);
}

bool fail(QString *why, const QString &reason) {
    if (why)
        *why = reason;
    return false;
}

bool localPartOk(QStringView local, QString *why) {
    if (local.isEmpty() || local.size() > 64)
        return fail(why, tr("The part before \"@\" must have 1 to 64 characters."));
    static const QString allowed = QStringLiteral("!#$%&'*+-=?^_`{|}~.");
    for (const QChar c : local) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                           (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (!plain && !allowed.contains(c))
            return fail(why, tr("The part before \"@\" may hold letters, digits and "
                                "!#$%&'*+-=?^_`{|}~. only."));
    }
    if (local.startsWith(QLatin1Char('.')) || local.endsWith(QLatin1Char('.')) ||
        local.contains(QLatin1String("..")))
        return fail(why, tr("The part before \"@\" must not start or end with a dot or hold "
                            "two dots in a row."));
    return true;
}

bool domainOk(QStringView domain, QString *why) {
    static const QRegularExpression label(
        QStringLiteral("\\A[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\z"));
    if (domain.isEmpty() || domain.size() > 253)
        return fail(why, tr("The domain after \"@\" must have 1 to 253 characters."));
    for (const QStringView part : domain.split(QLatin1Char('.'))) {
        if (!label.match(part.toString()).hasMatch())
            return fail(why, tr("The domain after \"@\" must be dot-separated letters, digits "
                                "and hyphens."));
    }
    return true;
}
} // namespace

std::optional<QString> normalizedEmail(const QString &claim, QString *why) {
    const QString email = claim.trimmed().toLower();
    if (email.count(QLatin1Char('@')) != 1) {
        fail(why, tr("An e-mail address has exactly one \"@\"."));
        return std::nullopt;
    }
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    if (!localPartOk(QStringView(email).left(at), why) ||
        !domainOk(QStringView(email).mid(at + 1), why))
        return std::nullopt;
    return email;
}

bool isValidLinuxUser(const QString &name) {
    static const QRegularExpression re(
        QStringLiteral("\\A(?:%1)\\z").arg(QLatin1String(kLinuxUserPattern)));
    return !name.isEmpty() && name.size() <= kMaxLinuxUserLength && re.match(name).hasMatch();
}

QString defaultLinuxUser(const QString &email) {
    const QString local = email.section(QLatin1Char('@'), 0, 0);
    return isValidLinuxUser(local) ? local : QString();
}

} // namespace clusterra::rules
