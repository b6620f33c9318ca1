#include "server/ServerApp.h"

int main(int argc, char **argv) {
    return clusterra::server::serverMain(argc, argv);
}
