#pragma once

// Shared by the libFuzzer targets: a failed property aborts, so libFuzzer keeps the input
// that broke it as a crash artifact.
#include <QByteArray>
#include <QString>
#include <cstdio>
#include <cstdlib>
#include <fuzzer/FuzzedDataProvider.h>
#include <string>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);      \
            std::abort();                                                                          \
        }                                                                                          \
    } while (0)

namespace clusterra::fuzz {

inline QByteArray bytes(FuzzedDataProvider &in, size_t max) {
    const std::string s = in.ConsumeRandomLengthString(max);
    return QByteArray(s.data(), qsizetype(s.size()));
}

inline QString text(FuzzedDataProvider &in, size_t max) {
    return QString::fromUtf8(bytes(in, max));
}

inline QByteArray rest(FuzzedDataProvider &in) {
    const std::string s = in.ConsumeRemainingBytesAsString();
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace clusterra::fuzz
