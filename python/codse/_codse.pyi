"""Type stubs of codse's compiled module (codse._codse). Import `codse`, which re-exports these."""

from os import PathLike
from typing import Any, Callable, Iterator, Mapping as _MappingABC, Optional, Sequence, TypedDict, Union

import numpy

_Catalog = Union[None, str, Sequence[str]]
_DeviceArg = Union[str, "Device"]
_MappingArg = Union["Mapping", str, dict]
_Objectives = Union[str, Sequence[str], _MappingABC[str, str]]

ESTIMATE_MANY_METRICS: list[str]


class InputError(ValueError):
    """Bad input: the message names the file, field or argument and what was expected."""


class LayerRow(TypedDict):
    name: str
    kind: str
    inputs: list[str]
    output_shape: list[int]
    units: int
    weight_bits: Optional[int]
    output_bits: int
    sparsity: float
    params: int
    nonzero_params: int
    macs: int


class Network:
    """What a network computes, layer by layer, with bit widths and sparsity."""
    @staticmethod
    def load(path: str) -> Network: ...
    @staticmethod
    def from_onnx(path: str, name: str = "") -> Network: ...
    @staticmethod
    def from_onnx_bytes(data: bytes, name: str = "", source: str = "model.onnx") -> Network: ...
    @staticmethod
    def from_json(document: Union[str, dict]) -> Network: ...
    @property
    def name(self) -> str: ...
    @property
    def layers(self) -> list[LayerRow]: ...
    @property
    def params(self) -> int: ...
    @property
    def nonzero_params(self) -> int: ...
    @property
    def macs(self) -> int: ...
    @property
    def weight_bits(self) -> int: ...
    @property
    def input_shape(self) -> list[int]: ...
    @property
    def output_shape(self) -> list[int]: ...
    def with_sparsity(self, fractions: dict[str, float]) -> Network: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict: ...
    def save(self, path: str) -> None: ...


class Device:
    """A target FPGA of the catalog."""
    name: str
    board: str
    part: str
    family: str
    description: str
    lut: int
    ff: int
    dsp: int
    bram18: int
    uram: int
    max_clock_mhz: float
    default_clock_mhz: float
    offchip_gbps: float
    static_power_w: float


def devices(catalog: _Catalog = None) -> list[Device]: ...


class Mapping:
    """How hardware computes a network: per-layer parallelism, storage, multipliers, and the clock."""
    network: str
    clock_mhz: float
    @staticmethod
    def load(path: str) -> Mapping: ...
    @staticmethod
    def from_json(document: Union[str, dict]) -> Mapping: ...
    @property
    def template(self) -> str: ...
    @property
    def layers(self) -> list[dict[str, Any]]: ...
    def with_layer(self, layer: str, *, pe: Optional[int] = None, simd: Optional[int] = None,
                   reuse: Optional[int] = None, storage: Optional[str] = None,
                   multipliers: Optional[str] = None) -> Mapping: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict: ...
    def save(self, path: str) -> None: ...


class Estimate:
    """The analytic cost of a mapping of a network on a device."""
    network: str
    device: str
    template: str
    fidelity: str
    clock_mhz: float
    lut: float
    ff: float
    dsp: float
    bram18: float
    uram: float
    lutram: float
    ii_cycles: int
    latency_cycles: int
    latency_us: float
    fps: float
    power_w: float
    power_static_w: float
    power_dynamic_w: float
    energy_uj: float
    offchip_gbps: float
    fits: bool
    overflow: str
    bottleneck: str
    limiter: str
    utilisation: dict[str, float]
    layers: list[dict[str, Any]]
    mapping: Mapping
    mapping_source: str
    def metrics(self) -> dict[str, float]: ...
    def to_dict(self) -> dict: ...


def estimate(network: Network, device: _DeviceArg, mapping: Optional[_MappingArg] = None, *,
             target_fps: Optional[float] = None, clock_mhz: Optional[float] = None, template: str = "folded",
             catalog: _Catalog = None) -> Estimate: ...


class MappingBatch:
    """Mappings held in C++, validated once for one Estimator."""
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Mapping: ...


class Estimator:
    """The estimator of one network on one device, for many estimates."""
    def __init__(self, network: Network, device: _DeviceArg, *, catalog: _Catalog = None) -> None: ...
    @property
    def device(self) -> Device: ...
    def estimate(self, mapping: Optional[_MappingArg] = None, *, target_fps: Optional[float] = None,
                 clock_mhz: Optional[float] = None, template: str = "folded") -> Estimate: ...
    def batch(self, base: Union[Mapping, Sequence[Mapping]],
              knobs: Optional[dict[str, Sequence[Any]]] = None) -> MappingBatch: ...
    def estimate_many(self, mappings: Union[Sequence[Mapping], MappingBatch]) -> dict[str, numpy.ndarray]: ...


class MapFront:
    """The HAL's Pareto-optimal mappings."""
    objectives: list[str]
    method: str
    space_size: float
    estimated: int
    seconds: float
    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Estimate: ...
    def __iter__(self) -> Iterator[Estimate]: ...
    def to_records(self) -> list[dict[str, Any]]: ...
    def to_pandas(self) -> Any: ...


def map(network: Network, device: _DeviceArg, *, objectives: Sequence[str] = ..., constraints: Sequence[str] = ...,
        template: str = "folded", clocks_mhz: Sequence[float] = ..., allow_overflow: bool = False,
        explorer: str = "nsga2", budget: int = 3000, seed: int = 1, catalog: _Catalog = None) -> MapFront: ...


class Trial:
    """One asked or evaluated design."""
    number: int
    params: dict[str, Any]
    status: str
    values: dict[str, float]
    error: str
    seconds: float
    artifacts: dict


class Study:
    """Ask-and-tell over a knob space or a table, stored as `codse dse` stores it."""
    def __init__(self, space: dict[str, Sequence[Any]], objectives: _Objectives, *, explorer: str = "atne",
                 seed: int = 1, storage: Union[None, str, PathLike] = None, name: Optional[str] = None,
                 constraints: Union[None, str, Sequence[str], Callable[[dict[str, Any]], bool]] = None,
                 batch: int = 1) -> None: ...
    @staticmethod
    def from_table(table: str, objectives: _Objectives, *, knobs: str = "knob_*", explorer: str = "atne",
                   seed: int = 1, storage: Union[None, str, PathLike] = None, name: Optional[str] = None,
                   batch: int = 1) -> Study: ...
    def ask(self, limit: int = ...) -> Trial: ...
    def tell(self, trial: Union[Trial, int], values: Union[None, float, Sequence[float], dict[str, float]] = None, *,
             error: Optional[str] = None) -> Trial: ...
    def optimize(self, func: Callable[[Trial], Union[float, Sequence[float], dict[str, float]]], budget: int, *,
                 catch: Union[None, type, tuple[type, ...]] = None) -> None: ...
    def table_metrics(self, trial: Trial) -> dict[str, float]: ...
    @property
    def trials(self) -> list[Trial]: ...
    @property
    def best_trials(self) -> list[Trial]: ...
    @property
    def pending(self) -> list[int]: ...
    @property
    def name(self) -> str: ...
    @property
    def objectives(self) -> list[str]: ...
    @property
    def knobs(self) -> list[str]: ...
    @property
    def space_size(self) -> int: ...
    @property
    def resumed_trials(self) -> int: ...


class StoredStudy:
    """A study read from a store."""
    name: str
    config: dict
    objectives: list[str]
    knobs: list[str]
    trials: list[Trial]
    front: list[int]
    hints: list[dict]
    def to_records(self) -> list[dict[str, Any]]: ...
    def to_pandas(self) -> Any: ...


def load_study(path: str, name: Optional[str] = None) -> StoredStudy: ...


class Hint:
    kind: str
    subject: str
    text: str
    evidence: dict


class ExploreResult:
    trials: list[dict[str, Any]]
    front: list[dict[str, Any]]
    hints: list[Hint]
    hypervolume: float
    trained_networks: int
    resumed_networks: int
    study: str
    store: str
    artifacts: str


def explore(config: Union[str, PathLike, dict], *, db: Optional[str] = None, resume: bool = False) -> ExploreResult: ...
