// Tests stay quiet unless LOG_LEVEL asks otherwise.
process.env.NODE_ENV = process.env.NODE_ENV || 'test';
