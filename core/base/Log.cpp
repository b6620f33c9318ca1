#include "core/base/Log.h"

Q_LOGGING_CATEGORY(lcClient, "clusterra.client")
Q_LOGGING_CATEGORY(lcServer, "clusterra.server")
Q_LOGGING_CATEGORY(lcHttp, "clusterra.server.http")
Q_LOGGING_CATEGORY(lcStore, "clusterra.server.store")
Q_LOGGING_CATEGORY(lcObjects, "clusterra.server.objects")
Q_LOGGING_CATEGORY(lcConsole, "clusterra.console")
