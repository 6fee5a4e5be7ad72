/**
 * Hand-written corpus for the card detector. A positive lists the card numbers (digits only) it holds, and
 * optionally the expiry dates and security codes that must be gone after redaction. A negative holds no card
 * number; the seeded look-alikes and the τ-bench customer messages are added to these in the test.
 */

export interface PositiveExample {
  readonly text: string;
  /** Digits of every card in the text, in order. */
  readonly cards: readonly string[];
  /** Substrings (expiry dates, security codes) that redaction must remove. */
  readonly removed?: readonly string[];
}

export interface NegativeExample {
  readonly text: string;
  /** What kind of look-alike it is, for the figures printed per category. */
  readonly category: string;
}

export const POSITIVES: readonly PositiveExample[] = [
  // Visa, every way of writing it
  { text: '4242424242424242', cards: ['4242424242424242'] },
  { text: 'My card is 4242 4242 4242 4242.', cards: ['4242424242424242'] },
  { text: 'card number 4242-4242-4242-4242 please charge it', cards: ['4242424242424242'] },
  { text: 'Use 4111.1111.1111.1111 for the replacement', cards: ['4111111111111111'] },
  { text: 'it is 4111 1111-1111.1111 (mixed, sorry)', cards: ['4111111111111111'] },
  { text: 'old 13-digit visa: 4222222222222', cards: ['4222222222222'] },
  { text: 'Visa debit 4632 7385 2454 2863 752 on file', cards: ['4632738524542863752'] },
  { text: '"4525965890921903"', cards: ['4525965890921903'] },
  { text: '(4300698706428083)', cards: ['4300698706428083'] },
  { text: 'Card:4012888888881881, thanks!', cards: ['4012888888881881'] },
  { text: 'number is\n4107788870318\nok?', cards: ['4107788870318'] },
  { text: 'charge 4242  4242  4242  4242 now', cards: ['4242424242424242'] },
  { text: 'here: 4242 - 4242 - 4242 - 4242', cards: ['4242424242424242'] },
  // Mastercard, both ranges
  { text: 'Mastercard 5555 5555 5555 4444', cards: ['5555555555554444'] },
  { text: 'my MC is 5105105105105100!', cards: ['5105105105105100'] },
  { text: 'new card 2223 0031 2200 3222 arrived', cards: ['2223003122003222'] },
  { text: '2720-0864-1822-4733', cards: ['2720086418224733'] },
  { text: 'Try 5135205542407210?', cards: ['5135205542407210'] },
  { text: 'card ending in 1606, full number 5586 6924 3662 1606', cards: ['5586692436621606'] },
  { text: '2221277435228252 is the one', cards: ['2221277435228252'] },
  // American Express, 4-6-5 and unbroken
  { text: 'Amex 3782 822463 10005', cards: ['378282246310005'] },
  { text: 'amex: 371449635398431.', cards: ['371449635398431'] },
  { text: 'AmEx 3404-192558-79224 exp 04/29', cards: ['340419255879224'], removed: ['04/29'] },
  { text: 'it is 374375975935846', cards: ['374375975935846'] },
  // Discover, every range
  { text: 'Discover 6011 1111 1111 1117', cards: ['6011111111111117'] },
  { text: 'discover card 6011000990139424', cards: ['6011000990139424'] },
  { text: 'card 6442 5216 6992 6188 please', cards: ['6442521669926188'] },
  { text: '6533 6183 2645 9494', cards: ['6533618326459494'] },
  { text: 'co-branded 6221 2605 6167 5083', cards: ['6221260561675083'] },
  { text: 'card 6229254487183027.', cards: ['6229254487183027'] },
  { text: 'Discover 6011 0775 0484 1215 536 (19 digits)', cards: ['6011077504841215536'] },
  // JCB
  { text: 'JCB 3530 1113 3330 0000', cards: ['3530111333300000'] },
  { text: 'jcb 3566002020360505', cards: ['3566002020360505'] },
  { text: 'card 3528-6181-9120-6461', cards: ['3528618191206461'] },
  { text: '3589000140931232', cards: ['3589000140931232'] },
  { text: 'JCB 3566 4597 5127 7407 707', cards: ['3566459751277407707'] },
  // Diners Club
  { text: 'Diners 3056 930902 5904', cards: ['30569309025904'] },
  { text: 'diners club 38520000023237', cards: ['38520000023237'] },
  { text: 'card 3622 720627 1667', cards: ['36227206271667'] },
  { text: 'Diners 3051 6557 9668 3947', cards: ['3051655796683947'] },
  { text: 'card 3977-9385-5155-0209', cards: ['3977938551550209'] },
  // UnionPay
  { text: 'UnionPay 6200 0000 0000 0005', cards: ['6200000000000005'] },
  { text: '银联卡 6250941006528599', cards: ['6250941006528599'] },
  { text: 'card 6205 5000 0000 0000 004', cards: ['6205500000000000004'] },
  { text: 'union pay 6240149601777740260', cards: ['6240149601777740260'] },
  // Maestro, principal and rare lengths
  { text: 'Maestro 6759 6498 2643 8453', cards: ['6759649826438453'] },
  { text: 'maestro 5018-6462-2089-0338', cards: ['5018646220890338'] },
  { text: 'card 5020 7812 1635 9269 966', cards: ['5020781216359269966'] },
  { text: 'Maestro 6304961629619517009', cards: ['6304961629619517009'] },
  { text: 'debit 5736 8156 5143 1620', cards: ['5736815651431620'] },
  { text: 'old maestro 5811858891919', cards: ['5811858891919'] },
  { text: 'my card 674350041966064 is declined', cards: ['674350041966064'] },
  // Mir
  { text: 'Моя карта 2200 4116 0686 5122', cards: ['2200411606865122'] },
  { text: 'Mir 2204110051409131', cards: ['2204110051409131'] },
  // with security code and expiry next to the number
  {
    text: 'Card 4242 4242 4242 4242 exp 12/27 cvv 913',
    cards: ['4242424242424242'],
    removed: ['12/27', '913'],
  },
  {
    text: '4111111111111111 12/2027 482',
    cards: ['4111111111111111'],
    removed: ['12/2027', '482'],
  },
  {
    text: '5555555555554444, expires 03/28, security code: 771',
    cards: ['5555555555554444'],
    removed: ['03/28', '771'],
  },
  {
    text: 'amex 378282246310005 cvc 6629 valid thru 11/2029',
    cards: ['378282246310005'],
    removed: ['6629', '11/2029'],
  },
  {
    text: '6011111111111117 / 09-27 / 318',
    cards: ['6011111111111117'],
    removed: ['09-27', '318'],
  },
  {
    text: 'card: 4012888888881881 exp: 0728 CVV2: 402',
    cards: ['4012888888881881'],
    removed: ['0728', '402'],
  },
  {
    text: 'number 4242 4242 4242 4242 and 1/29, code on the back is 597',
    cards: ['4242424242424242'],
    removed: ['1/29', '597'],
  },
  { text: '4242 4242 4242 4242 665', cards: ['4242424242424242'], removed: ['665'] },
  // other languages
  {
    text: 'Mi tarjeta es 4111 1111 1111 1111, vence 12/27, código de seguridad 123',
    cards: ['4111111111111111'],
    removed: ['12/27', '123'],
  },
  {
    text: 'Ma carte 5555 5555 5555 4444 expire le 10/26, cryptogramme 857',
    cards: ['5555555555554444'],
    removed: ['10/26', '857'],
  },
  {
    text: 'Meine Karte: 3782 822463 10005, gültig bis 11/28, Prüfnummer 4821',
    cards: ['378282246310005'],
    removed: ['11/28', '4821'],
  },
  {
    text: 'La mia carta è 4012 8888 8888 1881, scadenza 05/27.',
    cards: ['4012888888881881'],
    removed: ['05/27'],
  },
  {
    text: 'Meu cartão é 6011-0009-9013-9424, validade 08/30',
    cards: ['6011000990139424'],
    removed: ['08/30'],
  },
  {
    text: 'Mijn kaart is 4242424242424242, geldig tot 02/27',
    cards: ['4242424242424242'],
    removed: ['02/27'],
  },
  { text: 'カード番号は４２４２ ４２４２ ４２４２ ４２４２です', cards: ['4242424242424242'] },
  {
    text: 'カード番号は4111111111111111、有効期限は09/28、セキュリティコードは777です',
    cards: ['4111111111111111'],
    removed: ['09/28', '777'],
  },
  { text: '我的卡号是6200000000000005，安全码 339', cards: ['6200000000000005'], removed: ['339'] },
  { text: 'رقم البطاقة ٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢ شكرا', cards: ['4242424242424242'] },
  { text: 'कार्ड ४१११ ११११ ११११ ११११ है', cards: ['4111111111111111'] },
  // several in one message
  {
    text: 'Use 4242 4242 4242 4242 or, if declined, 5555-5555-5555-4444.',
    cards: ['4242424242424242', '5555555555554444'],
  },
  {
    text: 'cards: 378282246310005; 6011111111111117; 3530111333300000',
    cards: ['378282246310005', '6011111111111117', '3530111333300000'],
  },
  {
    text: '4242 4242 4242 4242 5555 5555 5555 4444',
    cards: ['4242424242424242', '5555555555554444'],
  },
  {
    text: 'Order #W2378156 was paid with 4111111111111111; refund to 5105105105105100 instead. Zip 19122.',
    cards: ['4111111111111111', '5105105105105100'],
  },
  // beside look-alikes
  { text: 'I paid $12. 4242 4242 4242 4242 was charged twice', cards: ['4242424242424242'] },
  { text: 'qty 2 4242 4242 4242 4242', cards: ['4242424242424242'] },
  { text: 'call me at +1 (415) 555-0132, card 4242424242424242', cards: ['4242424242424242'] },
  { text: 'W2378156 4242 4242 4242 4242', cards: ['4242424242424242'] },
  { text: 'tracking 4242424242424242 (that is actually my card)', cards: ['4242424242424242'] },
  { text: 'my card 674350041966064, not the FedEx tracking one', cards: ['674350041966064'] },
];

export const NEGATIVES: readonly NegativeExample[] = [
  // order ids
  { category: 'order id', text: 'Where is my order #W2378156?' },
  { category: 'order id', text: 'order W2378156' },
  { category: 'order id', text: 'orders #W2378156, #W4284542 and #W9300146' },
  { category: 'order id', text: 'When asked for order ID, provide 9502127 first.' },
  // tracking numbers
  { category: 'tracking', text: 'UPS 1Z999AA10123456784' },
  { category: 'tracking', text: 'tracking 1Z 999 AA1 01 2345 6784' },
  { category: 'tracking', text: '1Z12345E0205271688 and 1ZA9F4620398234176' },
  { category: 'tracking', text: 'USPS 9400 1118 9922 3397 8862 34' },
  { category: 'tracking', text: '9400111899223397886234' },
  { category: 'tracking', text: 'USPS 92004242424242424242 (a Visa-like run inside)' },
  { category: 'tracking', text: 'USPS 9200 4242 4242 4242 4242' },
  { category: 'tracking', text: 'tracking 9361289878700317633795' },
  { category: 'tracking', text: 'FedEx 123456789012' },
  { category: 'tracking', text: 'fedex tracking 7489 1234 5678' },
  {
    category: 'tracking',
    text: 'FedEx tracking 674350041966064 (a 15-digit number that passes Luhn)',
  },
  { category: 'tracking', text: 'DHL 1234567890' },
  { category: 'tracking', text: 'tracking ids 682308736931, 461930239815' },
  { category: 'tracking', text: 'tracking ids 682308736931 461930239815' },
  // phone numbers
  { category: 'phone', text: 'Call me at +1 (415) 555-0132' },
  { category: 'phone', text: 'my UK number is +44 20 7946 0958' },
  { category: 'phone', text: '(415) 555-0132' },
  { category: 'phone', text: '415-555-0132 or 415.555.0133' },
  { category: 'phone', text: '415 555 0132 415 555 0133' },
  { category: 'phone', text: '1-800-555-0199' },
  { category: 'phone', text: '+1 415 555 0132' },
  { category: 'phone', text: '+49 1512 3456789' },
  { category: 'phone', text: '+49 30 123456789' },
  { category: 'phone', text: '+33 6 12 34 56 78' },
  { category: 'phone', text: '+91 98765 43210' },
  { category: 'phone', text: '+86 138 0013 8000' },
  { category: 'phone', text: '+55 11 98765-4321' },
  { category: 'phone', text: '0049 1512 3456789' },
  { category: 'phone', text: '+61 2 9374 4000' },
  { category: 'phone', text: '+81 3-1234-5678' },
  { category: 'phone', text: '+4915123456789' },
  // Luhn-valid with a card prefix once the + is ignored: a number after + is a phone number.
  { category: 'phone', text: 'WhatsApp +6281234567899' },
  { category: 'phone', text: 'mobile +4915123456787' },
  // Two phone numbers whose first 16 digits together pass the Luhn check with a Visa prefix.
  { category: 'phone', text: 'call 415 555 0132 415 505 0199' },
  // zip codes
  { category: 'zip', text: 'zip 19122' },
  { category: 'zip', text: 'my zip code is 46236' },
  { category: 'zip', text: 'ZIP+4 94107-1234' },
  { category: 'zip', text: 'San Antonio, TX 78234-5678' },
  // dates and times
  { category: 'date', text: 'delivered on 2024-05-12' },
  { category: 'date', text: 'on 12/05/2024 at 10:30' },
  { category: 'date', text: '2024-05-12T10:30:45Z' },
  { category: 'date', text: 'timestamp 20240512103045' },
  { category: 'date', text: 'epoch 1715512345678' },
  { category: 'date', text: 'My warranty expires 12/27' },
  { category: 'date', text: 'the coupon is valid thru 12/27' },
  // amounts
  { category: 'amount', text: 'I was charged $1,234.56' },
  { category: 'amount', text: '€1.234,56 instead of €1.034,56' },
  { category: 'amount', text: '1 234 567,89 €' },
  { category: 'amount', text: '$12,345,678.90' },
  { category: 'amount', text: 'USD 1234567.89' },
  { category: 'amount', text: '₹12,34,567.00' },
  {
    category: 'amount',
    text: 'my card has only $1131 credit left, but the order total is more than $1160',
  },
  // product and item ids
  { category: 'item id', text: 'item 4202497723' },
  // An item id and a count that spell a Luhn-valid 13-digit Visa number together.
  { category: 'item id', text: 'item 4202497723 120 units' },
  { category: 'item id', text: 'items 1151293680 and 4983901480' },
  { category: 'item id', text: 'new items 7706410293 7747408585' },
  { category: 'item id', text: '4202497723, 1151293680, 4983901480' },
  { category: 'item id', text: 'product 1656367028 item 6469567736 price 47.84' },
  // user ids and e-mail addresses
  { category: 'user id', text: 'I am yusuf_rossi_9620' },
  { category: 'user id', text: 'mia_garcia_4516 (mia.garcia2723@example.com)' },
  { category: 'user id', text: 'payment method credit_card_9513926' },
  { category: 'email', text: 'write to 4242424242424242@example.com' },
  // IBANs (not cards; see README)
  { category: 'iban', text: 'IBAN DE89 3704 0044 0532 0130 00' },
  { category: 'iban', text: 'GB29 NWBK 6016 1331 9268 19' },
  { category: 'iban', text: 'FR14 2004 1010 0505 0001 3M02 606' },
  { category: 'iban', text: 'ES91 2100 0418 4502 0005 1332' },
  { category: 'iban', text: 'NL91ABNA0417164300' },
  { category: 'iban', text: 'IT60 X054 2811 1010 0000 0123 456' },
  { category: 'iban', text: 'PL61 1090 1014 0000 0712 1981 2874' },
  { category: 'iban', text: 'refund to DE95 4242 4242 4242 4242 42 please' },
  { category: 'iban', text: 'de95424242424242424242' },
  // digits inside URLs and words
  { category: 'url', text: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
  {
    category: 'url',
    text: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223397886234',
  },
  { category: 'url', text: 'see https://shop.example.com/products/4242424242424242' },
  { category: 'url', text: 'www.example.com/order/5555555555554444/details' },
  { category: 'url', text: 'example.com/p/378282246310005' },
  { category: 'word', text: 'SKU4242424242424242' },
  { category: 'word', text: 'ref_4242424242424242' },
  { category: 'word', text: 'INV-4242424242424242' },
  { category: 'word', text: 'abc4242424242424242def' },
  { category: 'word', text: 'v4242424242424242' },
  // number-shaped but not a card
  { category: 'not a card', text: 'Luhn-valid but no issuer: 1234567812345670' },
  { category: 'not a card', text: '7992739871300008' },
  { category: 'not a card', text: '9999 9999 9999 9995' },
  { category: 'not a card', text: '8888888888888888' },
  { category: 'not a card', text: '0000123456789015' },
  { category: 'not a card', text: '1111 2222 3333 4444' },
  { category: 'not a card', text: 'typo: 4242 4242 4242 4241' },
  { category: 'not a card', text: '5555555555554445' },
  { category: 'not a card', text: '424242424242 (12 digits)' },
  { category: 'not a card', text: '42424242424242424242 (20 digits)' },
  { category: 'not a card', text: '4242424242424242424242' },
  { category: 'not a card', text: 'pi is 3.14159265358979' },
  { category: 'not a card', text: 'I ordered 123 items for room 1234' },
  { category: 'not a card', text: 'version 4.2.4.2.4.2' },
  { category: 'not a card', text: 'IP 192.168.100.200' },
];
