#pragma once

#include <QString>
#include <optional>

namespace clusterra {

// The console's colour scheme. System keeps the desktop's palette; Light and Dark set Fusion
// with a palette of their own, so every role the console draws with (Base, AlternateBase,
// PlaceholderText, Link…) is defined, as a stylesheet would not define them.
enum class Theme { System, Light, Dark };

// "system", "light" or "dark"; nullopt for anything else.
std::optional<Theme> themeFromName(const QString &name);
void applyTheme(Theme theme);

} // namespace clusterra
