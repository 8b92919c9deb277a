"""Defaults shared by the client, the provider and the lookups: one place to tune them."""

from __future__ import annotations

__all__ = [
    "BACKOFF_INITIAL_S",
    "BACKOFF_MAX_S",
    "CLUSTER_TOKEN",
    "ENRICHMENT_TOKEN",
    "EXECUTION_TOKEN",
    "TRIGGER_TOKEN",
    "CONFIG_API_KEY",
    "CONFIG_ENDPOINT",
    "CONFIG_MAX_RETRIES",
    "CONFIG_NAMESPACE",
    "DEFAULT_ENDPOINT",
    "ENV_API_KEY",
    "ENV_ENDPOINT",
    "ENV_MAX_RETRIES",
    "ENV_NAMESPACE",
    "AUTONAME_SEED_KEY",
    "DEFAULTS_KEY",
    "GENERATED_NAME_PREFIX",
    "GET_CLUSTER_GROUPS_TOKEN",
    "GET_CLUSTER_TOKEN",
    "GET_TASK_TOKEN",
    "GET_TRIGGER_HISTORY_TOKEN",
    "LIST_CLUSTERS_TOKEN",
    "LIST_PAGE_SIZE",
    "MAX_RETRIES",
    "MAX_RETRIES_LIMIT",
    "PACKAGE_NAME",
    "POLL_FACTOR",
    "POLL_INITIAL_S",
    "POLL_MAX_S",
    "RETRY_AFTER_MAX_S",
    "TIMEOUT_CONNECT_S",
    "TIMEOUT_POOL_S",
    "TIMEOUT_READ_S",
    "TIMEOUT_WRITE_S",
    "TYPE_TOKEN_PREFIX",
    "UNKNOWN_SENTINEL",
]

DEFAULT_ENDPOINT = "https://api.mixpeek.com"

#: Every dynamic resource of this package has a type token starting with this (the classes
#: are declared with ``module="mixpeek"``; the Python dynamic-provider host adds the rest).
TYPE_TOKEN_PREFIX = "pulumi-python:dynamic/mixpeek:"

#: The native provider's package and resource tokens (plugin ``pulumi-resource-mixpeek``).
PACKAGE_NAME = "mixpeek"
CLUSTER_TOKEN = "mixpeek:index:Cluster"
EXECUTION_TOKEN = "mixpeek:index:ClusterExecution"
ENRICHMENT_TOKEN = "mixpeek:index:ClusterEnrichment"
TRIGGER_TOKEN = "mixpeek:index:ClusterTrigger"
GET_CLUSTER_TOKEN = "mixpeek:index:getCluster"
GET_CLUSTER_GROUPS_TOKEN = "mixpeek:index:getClusterGroups"
GET_TASK_TOKEN = "mixpeek:index:getTask"
GET_TRIGGER_HISTORY_TOKEN = "mixpeek:index:getTriggerHistory"
LIST_CLUSTERS_TOKEN = "mixpeek:index:listClusters"

#: Stack configuration keys, as ``pulumi.dynamic.ConfigureRequest.config.get`` takes them
#: (fully qualified, so the project name is not prepended).
CONFIG_API_KEY = "mixpeek:apiKey"
CONFIG_NAMESPACE = "mixpeek:namespace"
CONFIG_ENDPOINT = "mixpeek:endpoint"
CONFIG_MAX_RETRIES = "mixpeek:maxRetries"
CONFIG_API_VERSION = "mixpeek:apiVersion"

#: Environment fallbacks, read when the stack configuration does not set a value.
ENV_API_KEY = "MIXPEEK_API_KEY"
ENV_NAMESPACE = "MIXPEEK_NAMESPACE"
ENV_ENDPOINT = "MIXPEEK_ENDPOINT"
ENV_MAX_RETRIES = "MIXPEEK_MAX_RETRIES"
ENV_API_VERSION = "MIXPEEK_API_VERSION"

TIMEOUT_CONNECT_S = 10.0
TIMEOUT_READ_S = 60.0
TIMEOUT_WRITE_S = 30.0
TIMEOUT_POOL_S = 30.0

#: Retries after the first attempt (so at most MAX_RETRIES + 1 sends of one request, a
#: create included); ``mixpeek:maxRetries`` changes it, up to MAX_RETRIES_LIMIT.
MAX_RETRIES = 4
MAX_RETRIES_LIMIT = 20
BACKOFF_INITIAL_S = 0.5
BACKOFF_MAX_S = 8.0
#: A server asking for a longer pause than this is waited on for this long only.
RETRY_AFTER_MAX_S = 60.0

LIST_PAGE_SIZE = 100

#: Prefix of the names the provider gives clusters declared without ``cluster_name``
#: (see ``resources/cluster_provider.py``: a name makes a lost POST safe to recover).
GENERATED_NAME_PREFIX = "pulumi-"

#: How every cluster id starts (``clust_...``); a cluster_name may not (validation.py).
CLUSTER_ID_PREFIX = "clust_"

#: Hidden input the ``Cluster`` class adds: "<project>/<stack>/<parent>/<resource name>",
#: from which check derives a generated name (so preview and up agree on it).
AUTONAME_SEED_KEY = "__autoname_seed"

#: Hidden key of the checked inputs (and outputs) listing the inputs check filled in rather
#: than the program (the Terraform bridge's convention); here only ``cluster_name``.
DEFAULTS_KEY = "__defaults"

#: How the Pulumi engine spells a value that is not known yet (during preview).
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

#: Polling a clustering run: the first GET of the task this long after it started, each
#: later pause POLL_FACTOR times longer, never more than POLL_MAX_S (a 30-minute run costs
#: about 130 GETs, a 5-second one 3).
POLL_INITIAL_S = 1.0
POLL_FACTOR = 1.5
POLL_MAX_S = 15.0
