"""What every service's HTTP side shares: one error shape and the helpers that keep it."""
