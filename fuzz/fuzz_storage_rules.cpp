// The object-key rules every storage route and presign goes through: for any key and any two
// signed-in users, a key one may use is never the other's, nothing reaches outside the four
// areas, and no accepted key has an empty, "." or ".." segment or a control character.
#include "core/rules/IdentityRules.h"
#include "core/rules/StorageRules.h"
#include "fuzz/FuzzSupport.h"

#include <QRegularExpression>

using namespace clusterra;
using namespace clusterra::rules;

namespace {

// An independent statement of the key rule, to check the real one against: no leading "/",
// no "//", no "." or ".." segment anywhere, no backslash or control character.
bool safeSegments(const QString &key) {
    static const QRegularExpression bad(
        QStringLiteral("\\A/|//|(?:\\A|/)\\.{1,2}(?:/|\\z)|[\\\\\\x00-\\x1f\\x7f-\\x9f]"));
    return !key.isEmpty() && key != QLatin1String("/") && !bad.match(key).hasMatch();
}

QString ownerArea(const QString &key) {
    for (const QString &area : kUserAreas) {
        if (key.startsWith(area + QLatin1Char('/')))
            return area;
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzedDataProvider in(data, size);
    // Two identities as sign-in accepts them from an identity provider's claims.
    const auto alice = normalizedEmail(fuzz::text(in, 80));
    const auto bob = normalizedEmail(fuzz::text(in, 80));
    const bool relative = in.ConsumeBool();
    QString key = fuzz::text(in, 300);
    if (relative && alice) // a key under one of Alice's folders, with any tail
        key.prepend(userPrefix(kUserAreas[int(size % 3)], *alice));

    for (const auto &who : {alice, bob}) {
        if (!who)
            continue;
        for (const bool admin : {false, true}) {
            for (const StorageAccess access : {StorageAccess::Read, StorageAccess::Write}) {
                const QString refusal = storageRefusal(key, access, *who, admin);
                if (!refusal.isEmpty())
                    continue;
                FUZZ_CHECK(isSafeObjectKey(key));
                FUZZ_CHECK(safeSegments(key));
                FUZZ_CHECK(key.toUtf8().size() <= 1024);
                const QString area = ownerArea(key);
                if (area.isEmpty()) {
                    FUZZ_CHECK(key.startsWith(QLatin1String("shared/")));
                    FUZZ_CHECK(access == StorageAccess::Read || admin);
                } else {
                    // Private areas are their owner's alone, administrators included.
                    FUZZ_CHECK(key.startsWith(userPrefix(area, *who)));
                }
            }
        }
    }
    // No two different people share a folder, or one nests inside the other's.
    if (alice && bob && *alice != *bob) {
        for (const QString &area : kUserAreas) {
            FUZZ_CHECK(!userPrefix(area, *alice).startsWith(userPrefix(area, *bob)));
            FUZZ_CHECK(!userPrefix(area, *bob).startsWith(userPrefix(area, *alice)));
        }
    }
    if (alice) {
        FUZZ_CHECK(isSafeObjectKey(userPrefix(QStringLiteral("data"), *alice)));
        FUZZ_CHECK(normalizedEmail(*alice) == alice);
        const QString linux = defaultLinuxUser(*alice);
        FUZZ_CHECK(linux.isEmpty() || isValidLinuxUser(linux));
        // The default Linux name is the local part as it is, or none: never a rewrite of it.
        FUZZ_CHECK(linux.isEmpty() || linux == alice->section(QLatin1Char('@'), 0, 0));
    }
    return 0;
}
