// _padsim: the compiled part of the Python package `padsim`. Every operation goes through the code
// the command line runs (app/cli), so that a result written from Python is byte for byte the one
// `padsim run --out` writes. The pure-Python layer (padsim/__init__.py) turns the results into
// pandas DataFrames and gives the functions their keyword arguments.

#include <csignal>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "padsim/batch.hpp"
#include "padsim/calendar.hpp"
#include "padsim/checkpoint.hpp"
#include "padsim/error.hpp"
#include "padsim/rng.hpp"
#include "padsim/models/task_table.hpp"
#include "batch_runner.hpp"
#include "binding.hpp"
#include "calibrate_command.hpp"
#include "cli_checks.hpp"
#include "compare_command.hpp"
#include "dist_command.hpp"
#include "fit_command.hpp"
#include "replay_command.hpp"
#include "run_command.hpp"
#include "scenario_source.hpp"
#include "sweep_command.hpp"

namespace py = pybind11;

namespace padsim::python {

namespace {

/// A scenario as loaded: its text and names, and the options it was read with (--set, ...).
struct Scenario {
  cli::ScenarioSource source;
  cli::CommonOptions common;
  std::shared_ptr<const Model> model;
};

// The exception classes, created once at import (owned by the module object).
PyObject* g_error = nullptr;
PyObject* g_scenario_error = nullptr;
PyObject* g_option_error = nullptr;
PyObject* g_output_error = nullptr;

PyObject* new_exception(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  const std::string qualified = std::string("padsim.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(type));
  return type;
}

void raise(PyObject* type, const std::string& message) { PyErr_SetString(type, message.c_str()); }

void translate_errors(std::exception_ptr error) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const Interrupted&) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
  } catch (const InputError& e) {
    // The message is the command line's, FILE:LINE:COL first; the place is also an attribute.
    py::object exc = py::reinterpret_borrow<py::object>(g_scenario_error)(e.what());
    exc.attr("file") = e.where().file;
    exc.attr("line") = e.where().line;
    exc.attr("column") = e.where().column;
    PyErr_SetObject(g_scenario_error, exc.ptr());
  } catch (const ParameterError& e) {
    raise(g_scenario_error, e.what());
  } catch (const CLI::Error& e) {  // a bad option value, as `padsim` reports it with status 2
    raise(g_option_error, e.what());
  } catch (const CheckpointError& e) {
    raise(g_option_error, e.what());
  } catch (const OutputError& e) {
    raise(g_output_error, e.what());
  } catch (const Error& e) {
    raise(g_error, e.what());
  }
}

Scenario load(const std::optional<std::string>& path, const std::optional<std::string>& text,
              const std::string& text_label, const std::vector<std::string>& overrides,
              bool deterministic, bool no_incident, bool no_responses, const std::string& sampling,
              std::uint64_t lhs_block) {
  Scenario s;
  s.common.scenario = path.value_or("");
  s.common.overrides = overrides;
  s.common.deterministic = deterministic;
  s.common.no_incident = no_incident;
  s.common.no_responses = no_responses;
  s.common.sampling = sampling;
  s.common.lhs_block = lhs_block;
  if (text) {
    s.source = {text_label, std::filesystem::path(text_label).stem().string(), *text, false};
  } else {
    s.source = cli::read_scenario(s.common.scenario);
  }
  s.model = cli::load_model(s.source, cli::load_options(s.common));
  return s;
}

py::dict outcome_dict(const OutcomeInfo& o) {
  py::dict d;
  d["name"] = o.name;
  d["unit"] = o.unit;
  d["kind"] = o.kind == OutcomeKind::kEvent ? "event" : "value";
  d["headline"] = o.headline;
  d["censorable"] = o.censorable;
  d["description"] = o.description;
  return d;
}

std::shared_ptr<BatchHandle> run(const Scenario& scenario, const std::string& runs,
                                 std::uint64_t seed, unsigned threads, double tolerance,
                                 std::uint64_t max_runs, bool dates, bool task_runs,
                                 const py::object& progress, const std::string& invocation) {
  cli::CommonOptions common = scenario.common;
  common.seed = seed;
  cli::RunOptions run_options;
  run_options.runs = runs;
  run_options.threads = threads;
  run_options.tolerance = tolerance;
  run_options.max_runs = max_runs;
  run_options.dates = dates;
  run_options.task_runs = task_runs;
  if (threads > cli::kMaxThreads)
    cli::bad_option("threads: at most " + std::to_string(cli::kMaxThreads));
  if (!(tolerance > 0.0 && tolerance <= 1.0)) cli::bad_option("tolerance: a number in (0, 1]");
  if (max_runs == 0) cli::bad_option("max_runs: at least 1");
  // The same checks and provenance as `padsim run`: batch_options() then load_run().
  cli::RunSetup setup = cli::load_run(scenario.source, common, run_options,
                                      cli::batch_options(common, run_options), invocation);
  BatchHooks hooks(progress);
  const BatchOptions options = hooks.wrap(setup.options);
  auto handle = std::make_shared<BatchHandle>();
  handle->result = std::make_shared<const BatchResult>(
      hooks.run([&] { return run_batch(*setup.model, options); }));
  hooks.finished(handle->result->replications);
  handle->model = std::move(setup.model);
  handle->options = std::move(setup.options);
  handle->label = setup.source.label;
  handle->stem = setup.source.stem;
  if (handle->result->auto_runs) cli::warn_unconverged(*handle->result);
  return handle;
}

py::dict replay(const Scenario& scenario, std::optional<std::uint64_t> replication,
                const std::string& at, const std::string& runs, std::uint64_t seed,
                unsigned threads, const std::string& trace, const std::string& out,
                const py::object& progress) {
  if (replication.has_value() == !at.empty())
    cli::bad_option("replay: give replication=K or at='OUTCOME:pNN'");
  cli::CommonOptions common = scenario.common;
  common.seed = seed;
  cli::ReplayOptions options;
  options.at = at;
  options.runs = runs;
  options.threads = threads;
  options.trace = trace.empty() ? "-" : trace;
  options.out = out;
  BatchHooks hooks(progress);
  std::ostringstream text;
  hooks.run([&] {
    if (!at.empty()) {
      options.replication = cli::replication_at_percentile(
          *scenario.model, common, options,
          [&hooks](const Model& model, const BatchOptions& o) { return run_batch(model, hooks.wrap(o)); });
    } else {
      options.replication = *replication;
    }
    cli::replay_one(*scenario.model, Calendar(scenario.model->epoch()), common, options, text);
    return 0;
  });
  py::dict d;
  d["replication"] = options.replication;
  d["seed"] = Rng::replication_seed(seed, options.replication);
  d["trace"] = py::bytes(text.str());
  return d;
}

/// Saves the process's SIGINT action and restores it on destruction, clearing the command line's
/// interrupt flag at both ends (a later command starts uninterrupted).
class SigintRestore {
 public:
  SigintRestore() {
    sigaction(SIGINT, nullptr, &saved_);
    cli::sigint_flag().store(false);
  }
  ~SigintRestore() {
    sigaction(SIGINT, &saved_, nullptr);
    cli::sigint_flag().store(false);
  }
  SigintRestore(const SigintRestore&) = delete;
  SigintRestore& operator=(const SigintRestore&) = delete;

 private:
  struct sigaction saved_ = {};
};

/// Runs `padsim compare|sweep|calibrate|dist|fit ARGS...` through the command line's own parser
/// and command functions, returning what the command prints on stdout.
std::string command(const std::vector<std::string>& args, const std::string& invocation,
                    const py::object& progress) {
  CLI::App app{"padsim"};
  app.require_subcommand(1);
  cli::CommonOptions common;
  cli::CompareOptions compare_options;
  auto* compare_cmd = cli::add_compare_command(app, common, compare_options);
  cli::DistOptions dist_options;
  auto* dist_cmd = cli::add_dist_command(app, dist_options);
  cli::FitOptions fit_options;
  auto* fit_cmd = cli::add_fit_command(app, fit_options);
  cli::SweepOptions sweep_options;
  auto* sweep_cmd = cli::add_sweep_command(app, sweep_options);
  cli::CalibrateOptions calibrate_options;
  auto* calibrate_cmd = cli::add_calibrate_command(app, calibrate_options);
  std::vector<std::string> argv_text = {"padsim"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  std::ostringstream out;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.help();
    throw;
  }
  sweep_options.invocation = calibrate_options.invocation = invocation;
  // The study commands catch SIGINT themselves as the command line does (cli::catch_sigint) and
  // leave it at SIG_DFL: Python's handler is put back afterwards, and meanwhile the hooks read
  // the command line's flag as Ctrl-C.
  const SigintRestore restore_sigint;
  BatchHooks hooks(progress);
  cli::StudyContext context;
  context.run_batch = [&hooks](const Model& model, const BatchOptions& o) {
    return run_batch(model, hooks.wrap(o));
  };
  hooks.run([&] {
    if (*compare_cmd) return cli::run_compare_command(common, compare_options, invocation, context, out);
    if (*dist_cmd) return cli::run_dist_command(dist_options, out);
    if (*fit_cmd) return cli::run_fit_command(fit_options, out);
    if (*sweep_cmd) return cli::run_sweep(sweep_options, context, out);
    if (*calibrate_cmd) return cli::run_calibrate(calibrate_options, context, out);
    return cli::kExitError;
  });
  return out.str();
}

void set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off")
    cli::bad_option("log level: expected debug, info, warning, error or off, got '" + level + "'");
  spdlog::set_level(parsed);
}

}  // namespace

BatchOptions BatchHooks::wrap(BatchOptions options) {
  options.interrupt = &stop_;
  options.progress = [this](const BatchProgress& p) { on_progress(p); };
  return options;
}

void BatchHooks::on_progress(const BatchProgress& progress) {
  py::gil_scoped_acquire gil;
  if (stop_.load()) return;
  try {
    // Runs Python's SIGINT handler when Ctrl-C came: KeyboardInterrupt is then pending. A study
    // command has the command line's handler in place instead, which sets its flag.
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (cli::sigint_flag().load()) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      throw py::error_already_set();
    }
    if (!callback_.is_none()) callback_(progress.done, progress.auto_runs ? progress.max : progress.target);
  } catch (py::error_already_set& e) {
    pending_.emplace(std::move(e));
    stop_.store(true);
  }
}

void BatchHooks::rethrow_pending() {
  if (!pending_) return;
  py::error_already_set error = std::move(*pending_);
  pending_.reset();
  throw error;
}

}  // namespace padsim::python

PYBIND11_MODULE(_padsim, m) {
  using namespace padsim::python;
  namespace cli = padsim::cli;
  m.doc() = "The compiled core of padsim; use the package `padsim`, not this module.";
  m.attr("__version__") = PADSIM_VERSION;

  g_error = new_exception(m, "Error", PyExc_RuntimeError, "An error of padsim.");
  py::tuple input_bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_ValueError));
  g_scenario_error = new_exception(
      m, "ScenarioError", input_bases.ptr(),
      "Bad scenario input. The message reads FILE:LINE:COL: error: ... as on the command line; "
      "the attributes file, line and column give the first problem's place (0: unknown).");
  g_option_error = new_exception(m, "OptionError", input_bases.ptr(),
                                 "A bad argument value (the command line's status-2 errors).");
  g_output_error = new_exception(m, "OutputError", g_error, "An output could not be written.");
  py::register_exception_translator(translate_errors);

  // Warnings and errors only on stderr, as `padsim --quiet`; set_log_level changes it.
  cli::CommonOptions quiet;
  quiet.quiet = true;
  cli::setup_logging(quiet);

  py::class_<Scenario, std::shared_ptr<Scenario>>(m, "Scenario")
      .def_property_readonly("label", [](const Scenario& s) { return s.source.label; })
      .def_property_readonly("name", [](const Scenario& s) { return s.source.stem; })
      .def_property_readonly("text", [](const Scenario& s) { return s.source.text; })
      .def_property_readonly("embedded", [](const Scenario& s) { return s.source.embedded; })
      .def_property_readonly("overrides", [](const Scenario& s) { return s.common.overrides; })
      .def_property_readonly("epoch", [](const Scenario& s) { return s.model->epoch(); })
      .def_property_readonly("horizon", [](const Scenario& s) { return s.model->horizon(); })
      .def_property_readonly("outcomes", [](const Scenario& s) {
        py::list l;
        for (const auto& o : s.model->outcomes()) l.append(outcome_dict(o));
        return l;
      })
      .def_property_readonly("inputs", [](const Scenario& s) { return s.model->inputs(); })
      .def_property_readonly("series", [](const Scenario& s) { return s.model->series_names(); })
      .def_property_readonly("tasks", [](const Scenario& s) { return padsim::models::task_ids(*s.model); })
      .def_property_readonly("options", [](const Scenario& s) {
        py::dict d;
        d["deterministic"] = s.common.deterministic;
        d["no_incident"] = s.common.no_incident;
        d["no_responses"] = s.common.no_responses;
        d["sampling"] = s.common.sampling;
        d["lhs_block"] = s.common.lhs_block;
        return d;
      })
      .def("validate", [](const Scenario& s) {
        std::ostringstream out;
        cli::print_validate_report(out, s.source, *s.model, s.common.overrides);
        return out.str();
      });

  m.def("load", &load, py::arg("path"), py::arg("text"), py::arg("text_label"), py::arg("overrides"),
        py::arg("deterministic"), py::arg("no_incident"), py::arg("no_responses"), py::arg("sampling"),
        py::arg("lhs_block"), py::call_guard<py::gil_scoped_release>());
  m.def("run", &run, py::arg("scenario"), py::arg("runs"), py::arg("seed"), py::arg("threads"),
        py::arg("tolerance"), py::arg("max_runs"), py::arg("dates"), py::arg("task_runs"),
        py::arg("progress"), py::arg("invocation"));
  m.def("replay", &replay, py::arg("scenario"), py::arg("replication"), py::arg("at"),
        py::arg("runs"), py::arg("seed"), py::arg("threads"), py::arg("trace"), py::arg("out"),
        py::arg("progress"));
  m.def("command", &command, py::arg("args"), py::arg("invocation"), py::arg("progress"));
  m.def("set_log_level", &set_log_level, py::arg("level"));
  m.def("embedded_scenarios", [] {
    std::vector<std::string> names;
    for (const auto& [name, text] : cli::embedded_scenarios()) names.push_back(name);
    return names;
  });
  bind_results(m);
}
