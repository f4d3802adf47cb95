// Public entry point: re-exports the faces of the library.
export {};
