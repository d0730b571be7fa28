// The Batch class of `_padsim`: a finished batch's values as numpy arrays that view the result's
// own memory (no copy), its files as the text `padsim run --out` writes, and write().

#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "padsim/output_writer.hpp"
#include "padsim/rng.hpp"
#include "binding.hpp"
#include "report.hpp"

namespace py = pybind11;

namespace padsim::python {

namespace {

using Handle = std::shared_ptr<BatchHandle>;

/// A read-only array over `data` (rows x cols doubles, row-major) kept alive by the Batch object
/// `owner`.
py::array_t<double> view(const double* data, std::vector<py::ssize_t> shape, const py::object& owner) {
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = sizeof(double);
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  py::array_t<double> array(std::move(shape), std::move(strides), data, owner);
  // Writes would change what write() writes afterwards: the frames are views, copy() to edit.
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

py::ssize_t rows(const BatchHandle& h) { return static_cast<py::ssize_t>(h.result->replications); }

const OutputWriter& writer_named(const std::vector<std::unique_ptr<OutputWriter>>& writers,
                                 const std::string& name) {
  for (const auto& w : writers)
    if (w->file_name() == name) return *w;
  throw py::key_error("this batch writes no file '" + name + "'");
}

/// The bytes of one file of the batch, as write_batch_outputs() writes it.
py::bytes file_bytes(const BatchHandle& h, const std::string& name) {
  const auto writers = batch_output_writers(*h.model, h.options);
  const OutputWriter& writer = writer_named(writers, name);
  std::ostringstream out;
  {
    py::gil_scoped_release release;
    const BatchStatistics statistics(*h.model, *h.result);
    const BatchOutput batch{*h.model, *h.result, h.options, statistics};
    for (std::size_t part = 0, n = writer.parts(batch); part < n; ++part) writer.write(batch, part, out);
  }
  return py::bytes(out.str());
}

py::list columns(const BatchHandle& h, const std::string& name) {
  const auto writers = batch_output_writers(*h.model, h.options);
  py::list out;
  for (const ColumnInfo& c : writer_named(writers, name).columns(*h.model, h.options)) {
    py::dict d;
    d["name"] = c.name;
    d["unit"] = c.unit;
    d["kind"] = c.kind;
    d["empty_means"] = c.empty_means;
    d["description"] = c.description;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_results(py::module_& m) {
  py::class_<BatchHandle, Handle>(m, "Batch")
      .def_property_readonly("scenario", [](const BatchHandle& h) { return h.label; })
      .def_property_readonly("name", [](const BatchHandle& h) { return h.stem; })
      .def_property_readonly("seed", [](const BatchHandle& h) { return h.result->seed; })
      .def_property_readonly("replications", [](const BatchHandle& h) { return h.result->replications; })
      .def_property_readonly("threads", [](const BatchHandle& h) { return h.result->threads; })
      .def_property_readonly("wall_seconds", [](const BatchHandle& h) { return h.result->wall_seconds; })
      .def_property_readonly("auto_runs", [](const BatchHandle& h) { return h.result->auto_runs; })
      .def_property_readonly("converged", [](const BatchHandle& h) { return h.result->converged; })
      .def_property_readonly("epoch", [](const BatchHandle& h) { return h.model->epoch(); })
      .def_property_readonly("horizon", [](const BatchHandle& h) { return h.model->horizon(); })
      .def_property_readonly("dates", [](const BatchHandle& h) { return h.options.dates; })
      .def_property_readonly("outcome_names", [](const BatchHandle& h) {
        std::vector<std::string> names;
        for (const OutcomeInfo& o : h.model->outcomes()) names.push_back(o.name);
        return names;
      })
      .def_property_readonly("input_names", [](const BatchHandle& h) { return h.model->inputs(); })
      .def_property_readonly("series_names", [](const BatchHandle& h) { return h.model->series_names(); })
      .def_property_readonly("files", [](const BatchHandle& h) { return batch_output_files(*h.model, h.options); })
      .def("outcomes", [](const Handle& h) {
        return view(h->result->outcomes.data(), {rows(*h), static_cast<py::ssize_t>(h->result->outcome_count)},
                    py::cast(h));
      }, "Replications x outcomes, the values of runs.csv (NaN: an empty cell), without a copy.")
      .def("inputs", [](const Handle& h) {
        return view(h->result->inputs.data(), {rows(*h), static_cast<py::ssize_t>(h->result->input_count)},
                    py::cast(h));
      }, "Replications x inputs, the values of inputs.csv, without a copy.")
      .def("series", [](const Handle& h) {
        const BatchResult& r = *h->result;
        return view(r.series.data(), {static_cast<py::ssize_t>(r.series_replications),
                                      static_cast<py::ssize_t>(r.series_days),
                                      static_cast<py::ssize_t>(r.series_count)}, py::cast(h));
      }, "Kept replications x days x series: each replication's daily series, without a copy.")
      .def("replication_seeds", [](const BatchHandle& h) {
        py::array_t<std::uint64_t> seeds(rows(h));
        auto out = seeds.mutable_unchecked<1>();
        for (py::ssize_t k = 0; k < rows(h); ++k)
          out(k) = Rng::replication_seed(h.result->seed, h.result->first_replication + static_cast<std::uint64_t>(k));
        return seeds;
      }, "Each replication's own 64-bit seed (runs.csv's seed column).")
      .def("file", &file_bytes, py::arg("name"), "The bytes of one result file, as `padsim run --out` writes it.")
      .def("columns", &columns, py::arg("name"), "columns.csv's rows for one file's columns, in order.")
      .def("headline_table", [](const BatchHandle& h) {
        std::ostringstream out;
        cli::print_headline_table(out, *h.model, BatchStatistics(*h.model, *h.result));
        return out.str();
      }, "The headline table `padsim run` prints.")
      .def("write", [](const BatchHandle& h, const std::string& dir) {
        py::gil_scoped_release release;
        write_batch_outputs(*h.model, *h.result, h.options, std::filesystem::path(dir));
      }, py::arg("dir"), "Writes every file into `dir` as one result set, as `padsim run --out DIR`.");
}

}  // namespace padsim::python
