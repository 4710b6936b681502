"""analytics: pure figures on closes (weekly engine, the week's summary, signals, fund performance); imports core."""
