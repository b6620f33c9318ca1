#pragma once

#include "core/base/JobState.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

namespace clusterra {

// How a job state looks: the filter tabs' five groups, with CANCELLED on its own (grey) because
// a job its user stopped has not failed, even though the FAILED tab lists it.
enum class StateLook { Running, Pending, Completed, Failed, Cancelled, Unknown };

StateLook stateLookOf(JobState state);
StateLook stateLookOf(StateFilter filter);

// Colours for job and cluster states that stay readable on light and dark palettes: each has a
// contrast of at least 4.5:1 (WCAG AA for text) against both Base and AlternateBase.
QColor stateColor(StateLook look, const QPalette &palette);
QColor stateColor(StateFilter filter, const QPalette &palette);
QColor clusterStateColor(const QString &state, const QPalette &palette);
// A shape per state, so colour is never the only cue: a ring (pending), a triangle (running),
// a tick (completed), a cross (failed), a barred circle (cancelled), a question mark (unknown).
QIcon stateIcon(StateLook look, const QPalette &palette);
bool isDarkPalette(const QPalette &palette);
// WCAG 2 contrast ratio of two colours, 1 to 21.
double contrastRatio(const QColor &a, const QColor &b);

} // namespace clusterra
