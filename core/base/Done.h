#pragma once

#include "core/base/ApiError.h"

#include <functional>

namespace clusterra {

// How an operation that may wait on another server (Slurm, S3, an identity provider) hands
// back its value, or its error: called once, maybe before the call returns.
template <typename T> using Done = std::function<void(const T &value, const ApiError &error)>;

} // namespace clusterra
