#pragma once

#include <QLoggingCategory>

// Logging categories, so a user can turn a part's messages on or off with QT_LOGGING_RULES
// (e.g. "clusterra.client.warning=false"). Never pass a token or a secret to one.
Q_DECLARE_LOGGING_CATEGORY(lcClient)  // clusterra.client: the API and SSE clients
Q_DECLARE_LOGGING_CATEGORY(lcServer)  // clusterra.server: the server's components
Q_DECLARE_LOGGING_CATEGORY(lcHttp)    // clusterra.server.http: requests and handlers
Q_DECLARE_LOGGING_CATEGORY(lcStore)   // clusterra.server.store: the database
Q_DECLARE_LOGGING_CATEGORY(lcObjects) // clusterra.server.objects: buckets and publishing
Q_DECLARE_LOGGING_CATEGORY(lcConsole) // clusterra.console: the console application
