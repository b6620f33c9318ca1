#include "models/StateColors.h"

namespace clusterra {

bool isDarkPalette(const QPalette &palette) {
    return palette.color(QPalette::Base).lightness() < 128;
}

namespace {
QColor pick(bool dark, const char *light, const char *darkVariant) {
    return QColor(QLatin1String(dark ? darkVariant : light));
}
} // namespace

QColor stateColor(StateFilter filter, const QPalette &palette) {
    const bool dark = isDarkPalette(palette);
    switch (filter) {
    case StateFilter::Running:
        return pick(dark, "#1565c0", "#64b5f6");
    case StateFilter::Pending:
        return pick(dark, "#b26a00", "#ffb74d");
    case StateFilter::Completed:
        return pick(dark, "#2e7d32", "#81c784");
    case StateFilter::Failed:
        return pick(dark, "#c62828", "#ef9a9a");
    case StateFilter::Unknown:
    case StateFilter::All:
        break;
    }
    return palette.color(QPalette::PlaceholderText);
}

QColor clusterStateColor(const QString &state, const QPalette &palette) {
    if (state == QLatin1String("ready"))
        return stateColor(StateFilter::Completed, palette);
    if (state == QLatin1String("preparing"))
        return stateColor(StateFilter::Pending, palette);
    if (state == QLatin1String("failed"))
        return stateColor(StateFilter::Failed, palette);
    return palette.color(QPalette::PlaceholderText);
}

} // namespace clusterra
