// The text/event-stream parser against bytes from the network: no crash, the same events
// however the stream is cut into chunks, and what the server writes reads back as it was sent.
#include "core/sse/LogEvents.h"
#include "core/sse/SseParser.h"
#include "fuzz/FuzzSupport.h"

#include <QStringDecoder>

using namespace clusterra;

namespace {

bool sameEvents(const QList<SseEvent> &a, const QList<SseEvent> &b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].type != b[i].type || a[i].data != b[i].data ||
            a[i].lastEventId != b[i].lastEventId)
            return false;
    }
    return true;
}

QByteArray withoutLineBreaks(QByteArray s) {
    s.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzedDataProvider in(data, size);
    const int mode = in.ConsumeIntegralInRange(0, 2);
    if (mode == 0) {
        // Chunking: the whole stream at once and the same bytes cut at arbitrary points.
        const std::vector<uint8_t> cuts = in.ConsumeBytes<uint8_t>(8);
        const QByteArray stream = fuzz::rest(in);
        SseParser whole;
        const QList<SseEvent> expected = whole.feed(stream);
        SseParser pieces;
        QList<SseEvent> got;
        qsizetype at = 0;
        for (const uint8_t cut : cuts) {
            const qsizetype len = qMin<qsizetype>(cut, stream.size() - at);
            got += pieces.feed(QByteArrayView(stream).sliced(at, len));
            at += len;
        }
        got += pieces.feed(QByteArrayView(stream).sliced(at));
        FUZZ_CHECK(sameEvents(expected, got));
        FUZZ_CHECK(whole.lastEventId() == pieces.lastEventId());
        FUZZ_CHECK(whole.retryMs() == pieces.retryMs());
        return 0;
    }
    if (mode == 2) {
        // A job's output bytes read back exactly, carriage returns and all, with ids that
        // count bytes from where they started.
        const qint64 offset = in.ConsumeIntegralInRange<qint64>(0, qint64(1) << 40);
        const QByteArray bytes = fuzz::rest(in);
        SseParser parser;
        QString text;
        QString lastId;
        for (const SseEvent &e : parser.feed(formatLogEvents(bytes, offset))) {
            const auto piece = logEventText(e);
            FUZZ_CHECK(piece.has_value());
            text += *piece;
            lastId = e.lastEventId;
        }
        if (!bytes.isEmpty())
            FUZZ_CHECK(lastId == QString::number(offset + bytes.size()));
        QStringDecoder exact(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                       QStringDecoder::Flag::ConvertInitialBom);
        const QString expected = exact.decode(bytes);
        // Invalid UTF-8 cut at a CR may be replaced differently piece by piece; valid text not.
        if (!exact.hasError())
            FUZZ_CHECK(text == expected);
        return 0;
    }
    // Round trip: an event the server formats is parsed back with LF line ends.
    // The server's type and id are text; as bytes they may decode to nothing (a lone BOM).
    const QString type = QString::fromUtf8(withoutLineBreaks(fuzz::bytes(in, 32)).trimmed());
    const QString id = QString::fromUtf8(withoutLineBreaks(fuzz::bytes(in, 32)).trimmed());
    const QByteArray payload = fuzz::rest(in);
    SseParser parser;
    const QByteArray wire = formatSseComment("keep-alive") + formatSseEvent(type, id, payload);
    const QList<SseEvent> events = parser.feed(wire);
    QByteArray lf = payload;
    lf.replace("\r\n", "\n").replace('\r', '\n');
    if (payload.isEmpty()) {
        FUZZ_CHECK(events.size() <= 1);
        return 0;
    }
    FUZZ_CHECK(events.size() == 1);
    // Decoded keeping a leading BOM: QString::fromUtf8 would drop it, and the stream must not.
    QStringDecoder exact(QStringDecoder::Utf8,
                         QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    FUZZ_CHECK(events[0].data == exact.decode(lf));
    FUZZ_CHECK(events[0].type == (type.isEmpty() ? QStringLiteral("message") : type));
    if (!id.isEmpty())
        FUZZ_CHECK(parser.lastEventId() == id);
    return 0;
}
