#pragma once
// What the two translation units of the Python module `_padsim` share: a batch's result held for
// Python, and how a batch runs with the GIL released, Ctrl-C and a progress callback.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>

#include "padsim/batch.hpp"
#include "padsim/monte_carlo.hpp"

namespace padsim::python {

/// A finished batch as Python sees it: the model that ran it, its result and the options (with
/// run.json's provenance) that write() writes it with, as `padsim run` would.
struct BatchHandle {
  std::shared_ptr<const Model> model;
  std::shared_ptr<const BatchResult> result;
  BatchOptions options;  ///< progress and interrupt cleared
  std::string label;     ///< the scenario's label (path, experiments/NAME or <text>)
  std::string stem;      ///< the scenario's name: the default output directory's
};

/// Runs batches for Python: the GIL released while they run, the progress hook (about ten times
/// a second, on the calling thread) taking it back to check for Ctrl-C and to call the Python
/// progress callback. A pending KeyboardInterrupt, or an exception the callback raised, stops the
/// batch through its interrupt flag; run() then raises that exception, with no partial result.
class BatchHooks {
 public:
  /// `callback`: None, or a callable taking (done, total).
  explicit BatchHooks(pybind11::object callback) : callback_(std::move(callback)) {}

  /// Tells the callback the batch is complete, (done, done): the batch itself reports only while
  /// it runs (ten times a second), so a short one might otherwise never report. Holds the GIL.
  void finished(std::uint64_t done) const {
    if (!callback_.is_none()) callback_(done, done);
  }

  /// `options` with this object's interrupt flag and progress hook.
  BatchOptions wrap(BatchOptions options);

  /// Calls `work` with the GIL released; when a Python exception came meanwhile (Ctrl-C, the
  /// callback), raises it instead of returning.
  template <class Work>
  auto run(Work&& work) {
    try {
      auto value = [&] {
        pybind11::gil_scoped_release release;
        return work();
      }();
      // Ctrl-C that came as the last replications finished still wins: no result.
      rethrow_pending();
      return value;
    } catch (const Interrupted&) {
      rethrow_pending();
      throw;
    }
  }

 private:
  void on_progress(const BatchProgress& progress);
  void rethrow_pending();

  pybind11::object callback_;
  std::atomic<bool> stop_{false};
  std::optional<pybind11::error_already_set> pending_;
};

/// Defines the Batch class (numpy views of a result, its files as text, write()).
void bind_results(pybind11::module_& m);

}  // namespace padsim::python
