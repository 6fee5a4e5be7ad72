import { ActivityTypes, CardFactory, InputHints, type Activity, type CardAction } from 'botbuilder';
import type { ChannelKind } from './channel-kind';

/**
 * The offer of a person made when a customer turns angry. The wording "connect you with a person" is what the
 * offline model reads as an offer (so a plain "yes" afterwards transfers); GPT reads it from the history too.
 */
export const PERSON_OFFER = {
  text:
    "I'm sorry this has been so frustrating. If you'd rather sort it out with someone from our team, " +
    'I can connect you with a person.',
  voiceText:
    "I'm sorry this has been so frustrating. If you'd rather talk to someone from our team, " +
    'I can connect you with a person: just say yes.',
  buttonTitle: 'Talk to a person',
  /**
   * What the button sends as the customer's own words: a phrase of the offline model's `talk_to_person` intent,
   * and plain enough for GPT, so the normal transfer runs (summary, agent desk, queue place).
   */
  buttonText: 'I want to talk to a person',
} as const;

/**
 * The offer as an activity for the channel: Web Chat and other text channels get a suggested action (it goes
 * away once the conversation moves on); Teams gets a small card with an imBack button, which works in personal
 * chats, group chats and channels alike; the phone gets the spoken question only.
 */
export function personOfferActivity(kind: ChannelKind): Partial<Activity> {
  const button: CardAction = {
    type: 'imBack',
    title: PERSON_OFFER.buttonTitle,
    value: PERSON_OFFER.buttonText,
  };
  switch (kind) {
    case 'voice':
      return {
        type: ActivityTypes.Message,
        text: PERSON_OFFER.voiceText,
        speak: PERSON_OFFER.voiceText,
        inputHint: InputHints.ExpectingInput,
      };
    case 'teams':
      return {
        type: ActivityTypes.Message,
        attachments: [CardFactory.heroCard('', PERSON_OFFER.text, undefined, [button])],
      };
    case 'webchat':
    case 'text':
      return {
        type: ActivityTypes.Message,
        text: PERSON_OFFER.text,
        textFormat: 'markdown',
        suggestedActions: { to: [], actions: [button] },
      };
  }
}
