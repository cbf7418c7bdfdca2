/** Where the simulators announce their changes. */
export interface Webhooks {
  /** Each change event is POSTed to every one of these; empty for none. */
  urls: string[]
  /** The HMAC key shared with the receivers; at least 32 characters. */
  secret: string
}

export const NO_WEBHOOKS: Webhooks = { urls: [], secret: '' }

export const MIN_SECRET_LENGTH = 32

/** Webhook settings that cannot work; the message names neither secret nor URL. */
export class WebhookSettingsError extends Error {
  override name = 'WebhookSettingsError'
  readonly code = 'SIM_WEBHOOK_SETTINGS_INVALID'
}

/** A copy of `webhooks` once they are usable; throws otherwise. */
export function checkWebhooks (webhooks: Webhooks): Webhooks {
  const urls = [...webhooks.urls]
  urls.forEach((url, i) => {
    if (!isWebhookUrl(url)) {
      throw new WebhookSettingsError(`webhook URL ${i + 1} is not http or https`)
    }
  })
  if (urls.length > 0 && !(webhooks.secret?.length >= MIN_SECRET_LENGTH)) {
    throw new WebhookSettingsError(
      `the webhook secret must have at least ${MIN_SECRET_LENGTH} characters`)
  }
  return { urls, secret: webhooks.secret }
}

export function isWebhookUrl (value: string): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false
  const { protocol } = new URL(value)
  return protocol === 'http:' || protocol === 'https:'
}
