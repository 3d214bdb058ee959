#pragma once
// A Knob is one named dimension of a design space with a finite domain of values.

#include <cstddef>
#include <string>
#include <vector>

namespace codse {

enum class KnobKind { integer, power_of_two, choice, boolean };

/// One dimension of a design space. Every value is stored as a double so that designs are plain
/// numeric vectors; a choice among labels stores the label's index and keeps the labels for display.
class Knob {
 public:
  /// lo, lo+step, ..., up to hi.
  static Knob integer(std::string name, long lo, long hi, long step = 1);
  /// lo, 2*lo, 4*lo, ... up to hi; lo and hi must be powers of two.
  static Knob power_of_two(std::string name, long lo, long hi);
  /// An explicit list of numbers (sorted and deduplicated).
  static Knob choice(std::string name, std::vector<double> values);
  /// An explicit list of labels; values are the indices 0..n-1.
  static Knob labels(std::string name, std::vector<std::string> labels);
  static Knob boolean(std::string name);

  const std::string& name() const { return name_; }
  KnobKind kind() const { return kind_; }
  /// The domain in ascending order.
  const std::vector<double>& values() const { return values_; }
  std::size_t size() const { return values_.size(); }
  bool contains(double value) const;
  /// Position of value in values(); throws InputError naming the knob if absent.
  std::size_t index_of(double value) const;
  /// How a value is shown to people: the label for label knobs, the number otherwise.
  std::string format(double value) const;

 private:
  Knob(std::string name, KnobKind kind, std::vector<double> values,
       std::vector<std::string> labels = {});
  std::string name_;
  KnobKind kind_;
  std::vector<double> values_;
  std::vector<std::string> labels_;
};

}  // namespace codse
