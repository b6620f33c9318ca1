#include "app/ConsoleApp.h"

int main(int argc, char **argv) {
    return clusterra::consoleMain(argc, argv);
}
