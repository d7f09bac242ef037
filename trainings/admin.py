# Models of this app are registered here as they are added.
