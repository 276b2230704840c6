// "server-only" throws outside React Server Components; tests import lib/ modules directly.
export {};
