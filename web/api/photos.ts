import type { z } from 'zod';
import type { photoUploadResponse } from '../../common/contracts/events.js';
import { request } from './client.js';

export type PhotoUpload = z.infer<typeof photoUploadResponse>;

/** Holds a photo on the server; the token goes with the report or the step that uses it. */
export function uploadPhoto(blob: Blob, filename: string, resident: boolean): Promise<PhotoUpload> {
  const form = new FormData();
  form.append('file', blob, filename);
  return request<PhotoUpload>('POST', resident ? '/api/public/event-photos' : '/api/event-photos', {
    body: form,
  });
}

export const photoUrl = (eventId: number, photoId: number) => `/api/events/${eventId}/photos/${photoId}`;
