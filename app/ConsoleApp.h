#pragma once

namespace clusterra {

// The console's command line and start-up: profile, local server, sign-in, main window.
int consoleMain(int argc, char **argv);

} // namespace clusterra
