#pragma once

#include "core/base/JobState.h"

#include <QColor>
#include <QPalette>

namespace clusterra {

// Colours for job and cluster states that stay readable on light and dark palettes.
QColor stateColor(StateFilter filter, const QPalette &palette);
QColor clusterStateColor(const QString &state, const QPalette &palette);
bool isDarkPalette(const QPalette &palette);

} // namespace clusterra
