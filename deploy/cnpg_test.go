package deploy_test

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// cnpgCluster is the part of CloudNativePG's Cluster (postgresql.cnpg.io/v1) the chart writes.
// The field names and JSON tags follow github.com/cloudnative-pg/cloudnative-pg api/v1
// (cluster_types.go); the module is not on the proxy, so the CRD type cannot be imported. Strict
// decoding into this struct rejects a misspelt or unexpected field; a field the chart starts to
// use must be added here after checking it against the CRD.
type cnpgCluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              cnpgClusterSpec `json:"spec"`
}

type cnpgClusterSpec struct {
	Instances             int                         `json:"instances"`
	ImageName             string                      `json:"imageName,omitempty"`
	PrimaryUpdateStrategy string                      `json:"primaryUpdateStrategy,omitempty"`
	EnableSuperuserAccess *bool                       `json:"enableSuperuserAccess,omitempty"`
	Bootstrap             *cnpgBootstrap              `json:"bootstrap,omitempty"`
	Storage               cnpgStorage                 `json:"storage"`
	WalStorage            *cnpgStorage                `json:"walStorage,omitempty"`
	PostgreSQL            cnpgPostgres                `json:"postgresql,omitempty"`
	Resources             corev1.ResourceRequirements `json:"resources,omitempty"`
	Affinity              cnpgAffinity                `json:"affinity,omitempty"`
}

type cnpgBootstrap struct {
	InitDB *cnpgInitDB `json:"initdb,omitempty"`
}

type cnpgInitDB struct {
	Database      string `json:"database"`
	Owner         string `json:"owner"`
	DataChecksums *bool  `json:"dataChecksums,omitempty"`
}

type cnpgStorage struct {
	Size         string  `json:"size"`
	StorageClass *string `json:"storageClass,omitempty"`
}

type cnpgPostgres struct {
	Parameters map[string]string `json:"parameters,omitempty"`
}

type cnpgAffinity struct {
	EnablePodAntiAffinity *bool  `json:"enablePodAntiAffinity,omitempty"`
	TopologyKey           string `json:"topologyKey,omitempty"`
	PodAntiAffinityType   string `json:"podAntiAffinityType,omitempty"`
}
