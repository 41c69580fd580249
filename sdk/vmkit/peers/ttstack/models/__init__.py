"""Contains all the data models used in inputs/outputs"""

from .agent_info import AgentInfo
from .agent_info_response import AgentInfoResponse
from .api_error import ApiError
from .api_ok import ApiOk
from .create_env_req import CreateEnvReq
from .create_vm_req import CreateVmReq
from .create_vm_resp import CreateVmResp
from .create_vm_response import CreateVmResponse
from .engine import Engine
from .env import Env
from .env_detail import EnvDetail
from .env_detail_response import EnvDetailResponse
from .env_list_response import EnvListResponse
from .fleet_status import FleetStatus
from .fleet_status_response import FleetStatusResponse
from .host import Host
from .host_list_response import HostListResponse
from .host_response import HostResponse
from .image_info import ImageInfo
from .image_list_response import ImageListResponse
from .image_name_list_response import ImageNameListResponse
from .register_host_req import RegisterHostReq
from .resource import Resource
from .vm import Vm
from .vm_list_response import VmListResponse
from .vm_port_map import VmPortMap
from .vm_response import VmResponse
from .vm_spec import VmSpec

__all__ = (
    "AgentInfo",
    "AgentInfoResponse",
    "ApiError",
    "ApiOk",
    "CreateEnvReq",
    "CreateVmReq",
    "CreateVmResp",
    "CreateVmResponse",
    "Engine",
    "Env",
    "EnvDetail",
    "EnvDetailResponse",
    "EnvListResponse",
    "FleetStatus",
    "FleetStatusResponse",
    "Host",
    "HostListResponse",
    "HostResponse",
    "ImageInfo",
    "ImageListResponse",
    "ImageNameListResponse",
    "RegisterHostReq",
    "Resource",
    "Vm",
    "VmListResponse",
    "VmPortMap",
    "VmResponse",
    "VmSpec",
)
