#pragma once
// `padsim import FILE`: a Primavera P6 XER or MS Project XML schedule as a scenario's repair
// section (docs/scenario.md "Importing a schedule"); `padsim export-schedule SCENARIO`: a repair
// graph as a deterministic XER or MSPDI schedule, for the round trip and for planners' tools.

#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace padsim::cli {

struct ImportCommandOptions {
  std::string file;
  std::string out;  ///< "" or "-": standard output
  std::string repair_id;  ///< "" : the file's stem
  std::vector<std::string> templates;  ///< --template rules, before those of --templates
  std::string templates_file;
  bool section_only = false;
};

struct ExportCommandOptions {
  std::string scenario;
  std::string repair;  ///< "" : the first pad's repair (or the only one)
  std::string format;  ///< xer or mspdi; "" : from --out's extension
  std::string out;
};

/// Registers the `import` subcommand on `app`, filling `options`.
CLI::App* add_import_command(CLI::App& app, ImportCommandOptions& options);
/// Reads the schedule, writes the scenario (AtomicFile) or prints it to `out`; lists what was not
/// imported as warnings. A bad file throws ScheduleError ("FILE:LINE: ...": exit 2).
int run_import_command(const ImportCommandOptions& options, std::ostream& out);

/// Registers the `export-schedule` subcommand on `app`, filling `options`.
CLI::App* add_export_command(CLI::App& app, ExportCommandOptions& options);
/// Writes the repair graph as a schedule (AtomicFile, or `out` for "-"); lists what was not
/// exported as warnings.
int run_export_command(const ExportCommandOptions& options, std::ostream& out);

}  // namespace padsim::cli
