#include "import_command.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "padsim/csv.hpp"
#include "padsim/models/scenario_spec.hpp"
#include "padsim/models/schedule_import.hpp"
#include "run_command.hpp"
#include "scenario_source.hpp"

namespace padsim::cli {

namespace {

namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw ParameterError(path + ": is a directory");
  const auto size = fs::file_size(path, ec);
  if (ec) throw ParameterError(path + ": cannot read (" + ec.message() + ")");
  if (size > kMaxScenarioBytes) throw ParameterError(path + ": larger than 64 MiB");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ParameterError(path + ": cannot read");
  return text.str();
}

/// Writes `text` to `path` atomically, or to `out` for "" and "-".
void publish(const std::string& path, const std::string& text, std::ostream& out) {
  if (path.empty() || path == "-") {
    out << text;
    return;
  }
  const fs::path target(path);
  if (target.has_parent_path()) ensure_output_directory(target.parent_path());
  AtomicFile file(target);
  file.stream() << text;
  file.commit();
}

/// A bare TOML key from the file's stem: letters, digits, '-' and '_'.
std::string key_of(const std::string& path) {
  std::string key;
  for (const char c : fs::path(path).stem().string())
    key += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '-';
  return key.empty() ? "imported" : key;
}

}  // namespace

CLI::App* add_import_command(CLI::App& app, ImportCommandOptions& options) {
  auto* cmd = app.add_subcommand(
      "import", "Write a scenario (or its repair section) from a Primavera P6 XER or MS Project XML schedule");
  cmd->add_option("FILE", options.file, "The schedule: .xer or MSPDI .xml (told apart by content)")->required();
  cmd->add_option("-o,--out", options.out, "Scenario file to write (default: standard output)");
  cmd->add_option("--repair-id", options.repair_id, "Id of the [repair.ID] section (default: the file's stem)");
  cmd->add_option("--template", options.templates,
                  "PATTERN=KIND:LOW/MODE/HIGH[@LO/HI] in percent of the planned duration, e.g. "
                  "'weld*=trigen:90/110/150@10/90' or '*=pert:90/100/130'; the first matching rule wins")
      ->take_all();
  cmd->add_option("--templates", options.templates_file, "TOML file of [[template]] rules, after the --template ones");
  cmd->add_flag("--section-only", options.section_only, "Write only the [repair.ID] section, not a whole scenario");
  return cmd;
}

int run_import_command(const ImportCommandOptions& options, std::ostream& out) {
  models::ImportOptions import;
  import.repair_id = options.repair_id.empty() ? key_of(options.file) : options.repair_id;
  if (import.repair_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
      std::string::npos)
    bad_option("--repair-id '" + import.repair_id + "': use letters, digits, '-' and '_'");
  for (const std::string& rule : options.templates) import.templates.push_back(models::parse_template(rule));
  if (!options.templates_file.empty())
    for (auto& t : models::read_templates(read_text(options.templates_file), options.templates_file))
      import.templates.push_back(std::move(t));
  const models::ImportedSchedule schedule = models::read_schedule(read_text(options.file), options.file);
  std::vector<models::ImportNote> notes;
  const std::string text = models::write_repair_toml(schedule, import, &notes);
  publish(options.out, text, out);
  for (const models::ImportNote& n : notes) spdlog::warn("{}:{}: not imported: {}", options.file, n.line, n.text);
  spdlog::info("{}: {} tasks ({}) -> {}{}", options.file, schedule.tasks.size(), schedule.format,
               options.out.empty() || options.out == "-" ? "standard output" : options.out,
               notes.empty() ? "" : ", " + std::to_string(notes.size()) + " constructs not imported (listed in it)");
  return kExitOk;
}

CLI::App* add_export_command(CLI::App& app, ExportCommandOptions& options) {
  auto* cmd = app.add_subcommand(
      "export-schedule", "Write a repair graph as a deterministic P6 XER or MS Project XML schedule (most likely durations)");
  cmd->add_option("SCENARIO", options.scenario, "Scenario file (default: the embedded default scenario)");
  cmd->add_option("--repair", options.repair, "Repair id (default: the first pad's repair)");
  cmd->add_option("--format", options.format, "xer or mspdi (default: from --out's extension, .xer or .xml)")
      ->check(CLI::IsMember({"xer", "mspdi"}));
  cmd->add_option("-o,--out", options.out, "File to write ('-': standard output)")->required();
  return cmd;
}

int run_export_command(const ExportCommandOptions& options, std::ostream& out) {
  std::string format = options.format;
  if (format.empty()) {
    const std::string ext = fs::path(options.out).extension().string();
    format = ext == ".xer" ? "xer" : ext == ".xml" ? "mspdi" : "";
    if (format.empty()) bad_option("--format: give xer or mspdi (--out '" + options.out + "' ends in neither .xer nor .xml)");
  }
  const ScenarioSource source = read_scenario(options.scenario);
  const models::ScenarioSpec spec = models::parse_scenario(source.text, source.label);
  std::string id = options.repair;
  if (id.empty()) {
    for (const auto& pad : spec.pads)
      if (!pad.repair.id.empty()) {
        id = pad.repair.id;
        break;
      }
    if (id.empty() && !spec.repairs.empty()) id = spec.repairs.front().id;
  }
  const models::RepairEntry* repair = spec.find_repair(id);
  if (!repair) bad_option("--repair: " + source.label + " has no repair '" + id + "'");
  std::vector<std::string> not_exported;
  const std::string text = models::export_schedule(*repair->project, id, spec.scenario.epoch,
                                                   format == "xer" ? models::ScheduleFormat::kXer
                                                                   : models::ScheduleFormat::kMspdi,
                                                   not_exported);
  publish(options.out, text, out);
  for (const std::string& n : not_exported) spdlog::warn("{}: repair {}: not exported: {}", source.label, id, n);
  return kExitOk;
}

}  // namespace padsim::cli
