export * from './errors.js';
export * from './fields.js';
export * from './models.js';
export * from './http.js';
export * from './socket.js';
