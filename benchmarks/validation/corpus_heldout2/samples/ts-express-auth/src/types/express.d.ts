// Declaration merging: the auth middleware sets these on every request.
import 'express-serve-static-core';

declare module 'express-serve-static-core' {
  interface Request {
    user?: {
      id: string;
      name: string;
      roles: string[];
    };
    requestId: string;
  }
}
