/**
 * Saves a user's notification preferences: channels (email, SMS, in-app), the daily digest (staff), and
 * the language of their messages. At least one channel must stay on, so nobody silently hears nothing.
 */
import { notificationPreferences } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';

/** The preferences a user saves. */
export interface PreferencesInput {
  email: boolean;
  sms: boolean;
  inApp: boolean;
  digest: boolean;
  lang: 'id' | 'en';
}

/** Upserts the preferences row of `userId`. */
export async function setNotificationPreferences(
  svc: Services,
  userId: string,
  input: PreferencesInput,
): Promise<PreferencesInput> {
  if (!input.email && !input.sms && !input.inApp && !input.digest) {
    // Reuses the generic "required" message: at least one channel is required.
    throw invalid({ email: { key: 'required' } });
  }
  const values = { ...input, userId, updatedAt: svc.now() };
  await svc.db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: values });
  return input;
}
