/**
 * `rails-session-codec`: Rails sessions in and out of Redis and ActiveRecord::SessionStore, on an exact Ruby
 * Marshal codec. The codec alone is `rails-session-codec/marshal`.
 * @module
 */
export * from './marshal/index.js';
