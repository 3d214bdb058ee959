#include "nn/integer/integer_kernels.hpp"

#include <algorithm>
#include <vector>

namespace codse::nn::integer_kernels {
namespace {

template <typename Acc, typename W, typename X>
Acc dot(const W* w, const X* x, std::size_t n) {
  Acc sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<Acc>(w[i]) * static_cast<Acc>(x[i]);
  return sum;
}

template <typename Acc, typename W, typename X>
void dense(std::span<const W> w, std::span<const X> x, std::span<std::int64_t> out) {
  const std::size_t n = x.size();
  for (std::size_t o = 0; o < out.size(); ++o) out[o] = dot<Acc>(w.data() + o * n, x.data(), n);
}

// One output pixel's receptive field at a time (im2col by pixel), then a dot product per filter.
template <typename Acc, typename W, typename X>
void conv2d(const IntegerOp& op, Shape in, std::span<const W> w, std::span<const X> x,
            std::span<std::int64_t> out) {
  const int k = op.kernel;
  const std::size_t patch_size = static_cast<std::size_t>(in.channels) * k * k;
  const std::size_t pixels = static_cast<std::size_t>(op.shape.height) * op.shape.width;
  std::vector<X> patch(patch_size);
  for (int oy = 0; oy < op.shape.height; ++oy) {
    for (int ox = 0; ox < op.shape.width; ++ox) {
      std::size_t at = 0;
      for (int c = 0; c < in.channels; ++c) {
        for (int ky = 0; ky < k; ++ky) {
          const int y = oy * op.stride - op.padding + ky;
          for (int kx = 0; kx < k; ++kx) {
            const int xx = ox * op.stride - op.padding + kx;
            const bool inside = y >= 0 && y < in.height && xx >= 0 && xx < in.width;
            patch[at++] = inside ? x[(static_cast<std::size_t>(c) * in.height + y) * in.width + xx] : X{0};
          }
        }
      }
      const std::size_t pixel = static_cast<std::size_t>(oy) * op.shape.width + ox;
      for (int o = 0; o < op.units; ++o) {
        out[static_cast<std::size_t>(o) * pixels + pixel] =
            dot<Acc>(w.data() + o * patch_size, patch.data(), patch_size);
      }
    }
  }
}

}  // namespace

void dense_narrow(std::span<const std::int16_t> w, std::span<const std::int16_t> x,
                  std::span<std::int64_t> out) {
  dense<std::int32_t>(w, x, out);
}

void dense_wide(std::span<const std::int32_t> w, std::span<const std::int64_t> x,
                std::span<std::int64_t> out) {
  dense<std::int64_t>(w, x, out);
}

void conv2d_narrow(const IntegerOp& op, Shape in, std::span<const std::int16_t> w,
                   std::span<const std::int16_t> x, std::span<std::int64_t> out) {
  conv2d<std::int32_t>(op, in, w, x, out);
}

void conv2d_wide(const IntegerOp& op, Shape in, std::span<const std::int32_t> w,
                 std::span<const std::int64_t> x, std::span<std::int64_t> out) {
  conv2d<std::int64_t>(op, in, w, x, out);
}

void maxpool2d(const IntegerOp& op, Shape in, std::span<const std::int64_t> x, std::span<std::int64_t> out) {
  for (int c = 0; c < op.shape.channels; ++c) {
    for (int oy = 0; oy < op.shape.height; ++oy) {
      for (int ox = 0; ox < op.shape.width; ++ox) {
        bool first = true;
        std::int64_t best = 0;
        for (int ky = 0; ky < op.kernel; ++ky) {
          const int y = oy * op.stride + ky;
          for (int kx = 0; kx < op.kernel; ++kx) {
            const int xx = ox * op.stride + kx;
            if (y >= in.height || xx >= in.width) continue;
            const std::int64_t v = x[(static_cast<std::size_t>(c) * in.height + y) * in.width + xx];
            best = first ? v : std::max(best, v);
            first = false;
          }
        }
        out[(static_cast<std::size_t>(c) * op.shape.height + oy) * op.shape.width + ox] = best;
      }
    }
  }
}

void requantize(const Requantization& r, bool use_shift, std::span<const std::int64_t> x,
                std::span<std::int64_t> out) {
  const std::size_t plane = static_cast<std::size_t>(r.plane);
  if (use_shift) {
    const int left = std::max(0, -r.shift);
    const int right = std::max(0, r.shift);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::int64_t shifted = (x[i] * (std::int64_t{1} << left) + r.offsets[i / plane]) >> right;
      out[i] = std::clamp<std::int64_t>(shifted, r.low, r.high);
    }
    return;
  }
  const std::size_t steps = r.levels.size() - 1;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t c = i / plane;
    const std::int64_t v = r.sign[c] * x[i];
    const std::int64_t* t = r.thresholds.data() + c * steps;
    const auto reached = static_cast<std::size_t>(std::upper_bound(t, t + steps, v) - t);
    out[i] = r.levels[reached];
  }
}

void output_affine(const OutputAffine& a, std::span<const std::int64_t> x, std::span<std::int64_t> out) {
  const std::size_t plane = static_cast<std::size_t>(a.plane);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t c = i / plane;
    out[i] = a.multipliers[c] * x[i] + a.offsets[c];
  }
}

}  // namespace codse::nn::integer_kernels
