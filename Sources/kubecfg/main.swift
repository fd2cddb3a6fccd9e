print("kubecfg")
