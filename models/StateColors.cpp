#include "models/StateColors.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <cmath>

namespace clusterra {

bool isDarkPalette(const QPalette &palette) {
    return palette.color(QPalette::Base).lightness() < 128;
}

namespace {
double luminance(const QColor &c) {
    const auto channel = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor base(StateLook look, bool dark) {
    const auto pick = [dark](const char *light, const char *darkVariant) {
        return QColor(QLatin1String(dark ? darkVariant : light));
    };
    switch (look) {
    case StateLook::Running:
        return pick("#1565c0", "#64b5f6");
    case StateLook::Pending:
        return pick("#a35c00", "#ffb74d");
    case StateLook::Completed:
        return pick("#2e7d32", "#81c784");
    case StateLook::Failed:
        return pick("#c62828", "#ef9a9a");
    case StateLook::Cancelled:
        return pick("#616161", "#bdbdbd");
    case StateLook::Unknown:
        break;
    }
    return pick("#6a1b9a", "#ce93d8");
}

// Moves `c` away from the background (darker on light, lighter on dark) until it reads on
// both rows of a table; a theme's own colours can be anything.
double worstContrast(const QColor &c, const QPalette &palette) {
    return qMin(contrastRatio(c, palette.color(QPalette::Base)),
                contrastRatio(c, palette.color(QPalette::AlternateBase)));
}

QColor readable(const QColor &start, const QPalette &palette) {
    // Away from the background first (the hue survives longest), then the other way for a
    // mid-grey Base; the better of the two, and black or white as the last word.
    QColor best = start;
    for (const bool lighten : {isDarkPalette(palette), !isDarkPalette(palette)}) {
        QColor c = start;
        for (int step = 0; step < 24 && worstContrast(c, palette) < 4.5; ++step)
            c = lighten ? c.lighter(110) : c.darker(112);
        if (worstContrast(c, palette) >= 4.5)
            return c;
        if (worstContrast(c, palette) > worstContrast(best, palette))
            best = c;
    }
    for (const QColor &plain : {QColor(Qt::black), QColor(Qt::white)})
        if (worstContrast(plain, palette) > worstContrast(best, palette))
            best = plain;
    return best;
}
} // namespace

double contrastRatio(const QColor &a, const QColor &b) {
    const double la = luminance(a), lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

StateLook stateLookOf(JobState state) {
    if (state == JobState::Cancelled)
        return StateLook::Cancelled;
    return stateLookOf(stateFilterOf(state));
}

StateLook stateLookOf(StateFilter filter) {
    switch (filter) {
    case StateFilter::Running:
        return StateLook::Running;
    case StateFilter::Pending:
        return StateLook::Pending;
    case StateFilter::Completed:
        return StateLook::Completed;
    case StateFilter::Failed:
        return StateLook::Failed;
    case StateFilter::Unknown:
    case StateFilter::All:
        break;
    }
    return StateLook::Unknown;
}

QColor stateColor(StateLook look, const QPalette &palette) {
    // Asked for every visible state cell on every paint: worked out once per palette.
    static QHash<QPair<int, QPair<QRgb, QRgb>>, QColor> cache;
    const QPair<int, QPair<QRgb, QRgb>> key(
        int(look),
        {palette.color(QPalette::Base).rgb(), palette.color(QPalette::AlternateBase).rgb()});
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    return *cache.insert(key, readable(base(look, isDarkPalette(palette)), palette));
}

QColor stateColor(StateFilter filter, const QPalette &palette) {
    return stateColor(stateLookOf(filter), palette);
}

QColor clusterStateColor(const QString &state, const QPalette &palette) {
    if (state == QLatin1String("ready"))
        return stateColor(StateLook::Completed, palette);
    if (state == QLatin1String("preparing"))
        return stateColor(StateLook::Pending, palette);
    if (state == QLatin1String("failed"))
        return stateColor(StateLook::Failed, palette);
    return stateColor(StateLook::Cancelled, palette);
}

QIcon stateIcon(StateLook look, const QPalette &palette) {
    // A table asks for the icon of every visible row on every paint: drawn once per colour.
    static QHash<QPair<int, QRgb>, QIcon> cache;
    const QColor color = stateColor(look, palette);
    const QPair<int, QRgb> key(int(look), color.rgb());
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    constexpr int kSize = 32; // drawn large, shown at the row's icon size
    QPixmap pix(kSize, kSize);
    pix.fill(Qt::transparent);
    QPainter p(&pix);
    p.setRenderHint(QPainter::Antialiasing);
    QPen pen(color, 4.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    const QRectF box(5, 5, kSize - 10, kSize - 10);
    switch (look) {
    case StateLook::Pending:
        p.drawEllipse(box);
        p.drawLine(QPointF(16, 10), QPointF(16, 16));
        p.drawLine(QPointF(16, 16), QPointF(20, 19));
        break;
    case StateLook::Running: {
        QPainterPath tri;
        tri.moveTo(8, 5);
        tri.lineTo(27, 16);
        tri.lineTo(8, 27);
        tri.closeSubpath();
        p.setBrush(color);
        p.drawPath(tri);
        break;
    }
    case StateLook::Completed:
        p.drawPolyline(QPolygonF({QPointF(6, 17), QPointF(13, 24), QPointF(26, 8)}));
        break;
    case StateLook::Failed:
        p.drawLine(QPointF(8, 8), QPointF(24, 24));
        p.drawLine(QPointF(24, 8), QPointF(8, 24));
        break;
    case StateLook::Cancelled:
        p.drawEllipse(box);
        p.drawLine(QPointF(9.5, 22.5), QPointF(22.5, 9.5));
        break;
    case StateLook::Unknown: {
        QFont f = p.font();
        f.setBold(true);
        f.setPixelSize(26);
        p.setFont(f);
        p.drawText(QRectF(0, 0, kSize, kSize), Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    }
    p.end();
    return *cache.insert(key, QIcon(pix));
}

} // namespace clusterra
