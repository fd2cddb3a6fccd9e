// The kubelet lands here (issue 4).
