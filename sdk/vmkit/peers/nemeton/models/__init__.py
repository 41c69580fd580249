"""Contains all the data models used in inputs/outputs"""

from .console_command import ConsoleCommand
from .console_input import ConsoleInput
from .console_output import ConsoleOutput
from .error import Error
from .event import Event
from .get_openapi_response_200 import GetOpenapiResponse200
from .json_rpc_error import JsonRpcError
from .json_rpc_request import JsonRpcRequest
from .json_rpc_request_params import JsonRpcRequestParams
from .json_rpc_response import JsonRpcResponse
from .json_rpc_response_result import JsonRpcResponseResult
from .snapshot import Snapshot
from .snapshot_create import SnapshotCreate
from .vm import Vm

__all__ = (
    "ConsoleCommand",
    "ConsoleInput",
    "ConsoleOutput",
    "Error",
    "Event",
    "GetOpenapiResponse200",
    "JsonRpcError",
    "JsonRpcRequest",
    "JsonRpcRequestParams",
    "JsonRpcResponse",
    "JsonRpcResponseResult",
    "Snapshot",
    "SnapshotCreate",
    "Vm",
)
