#include "slurm/JobSpecKeys.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace clusterra {

namespace {
constexpr std::array<std::string_view, 116> kV0044Keys{
    "account", "account_gather_frequency", "admin_comment", "allocation_node_list",
    "allocation_node_port", "argv", "array", "batch_features", "begin_time", "burst_buffer",
    "cluster_constraint", "clusters", "comment", "constraints", "container", "container_id",
    "contiguous", "core_specification", "cpu_binding", "cpu_binding_flags", "cpu_frequency",
    "cpus_per_task", "cpus_per_tres", "crontab", "current_working_directory", "deadline",
    "delay_boot", "dependency", "distribution", "distribution_plane_size", "end_time",
    "environment", "excluded_nodes", "extra", "flags", "group_id", "hetjob_group", "hold",
    "immediate", "job_id", "kill_on_node_fail", "kill_warning_delay", "kill_warning_flags",
    "kill_warning_signal", "licenses", "mail_type", "mail_user", "maximum_cpus",
    "maximum_nodes", "mcs_label", "memory_binding", "memory_binding_type", "memory_per_cpu",
    "memory_per_node", "memory_per_tres", "minimum_boards_per_node", "minimum_cpus",
    "minimum_cpus_per_node", "minimum_nodes", "minimum_sockets_per_board", "name", "network",
    "nice", "nodes", "ntasks_per_tres", "oom_kill_step", "open_mode", "overcommit", "partition",
    "power_flags", "prefer", "priority", "profile", "qos", "reboot", "requeue",
    "required_nodes", "required_switches", "reservation", "reserve_ports", "rlimits", "script",
    "segment_size", "selinux_context", "shared", "site_factor", "sockets_per_node",
    "spank_environment", "standard_error", "standard_input", "standard_output", "step_id",
    "tasks", "tasks_per_board", "tasks_per_core", "tasks_per_node", "tasks_per_socket",
    "temporary_disk_per_node", "thread_specification", "threads_per_core", "time_limit",
    "time_minimum", "tres_bind", "tres_freq", "tres_per_job", "tres_per_node",
    "tres_per_socket", "tres_per_task", "user_id", "wait_all_nodes", "wait_for_switch", "wckey",
    "x11", "x11_magic_cookie", "x11_target_host", "x11_target_port",
};

constexpr std::array<std::string_view, 21> kSupported{
    "account", "array", "comment", "cpus_per_task", "current_working_directory", "environment",
    "memory_per_cpu", "memory_per_node", "name", "nodes", "partition", "priority", "qos",
    "script", "standard_error", "standard_input", "standard_output", "tasks", "time_limit",
    "tres_per_job", "tres_per_node"};
} // namespace

bool isV0044JobKey(const std::string &key)
{
    return std::binary_search(kV0044Keys.begin(), kV0044Keys.end(), std::string_view(key));
}

bool isSupportedJobKey(const std::string &key)
{
    return std::find(kSupported.begin(), kSupported.end(), std::string_view(key)) !=
           kSupported.end();
}

} // namespace clusterra
