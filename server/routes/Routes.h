#pragma once

#include "http/Router.h"

namespace clusterra::server {

class AuthService;
class ClusterService;
class EventLog;
class FileChangeHub;
class StorageService;
class JobService;
class JobStore;
class TemplateCatalog;

struct RouteContext {
    AuthService &auth;
    ClusterService &clusters;
    JobService &jobs;
    JobStore &jobStore;
    EventLog &events;
    const TemplateCatalog &templates;
    FileChangeHub &files;
    StorageService &storage;
    int streamPollMs = 100;
    int keepAliveMs = 15000;
};

// Declares every /v1 route in one table. docs/api/openapi.json must describe each of them.
void registerRoutes(http::Router &router, RouteContext &ctx);
void registerStorageRoutes(http::Router &router, RouteContext &ctx);

} // namespace clusterra::server
