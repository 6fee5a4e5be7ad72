import type { WarrantyTerms } from './types';

/**
 * The sample shop's catalogue: product types with their option dimensions, price ranges and warranty class.
 * Categories, months and coverage follow the company's warranty policy (src/knowledge/policies/warranty.md):
 * everyday goods 12 months, electronics and appliances 24, furniture and large items 36, from delivery.
 */

export type WarrantyClass = 'everyday' | 'electronics' | 'furniture';

export interface CatalogueEntry {
  name: string;
  description: string;
  warrantyClass: WarrantyClass;
  /** Option name → possible values; variants are combinations of these. */
  options: Readonly<Record<string, readonly string[]>>;
  /** Variant prices fall in this range, in whole dollars. */
  priceRange: readonly [number, number];
  /** Large items travel with the freight partner, by appointment. */
  freight?: boolean;
  /** A product-specific exclusion appended to the category's terms. */
  exclusion?: string;
}

const WARRANTY_CLASSES: Readonly<
  Record<WarrantyClass, { category: string; months: number; terms: string }>
> = {
  everyday: {
    category: 'Everyday goods',
    months: 12,
    terms:
      'Covers defects in materials and workmanship under normal household use for 12 months from delivery. Excludes accidental damage, normal wear and tear, and misuse.',
  },
  electronics: {
    category: 'Electronics and appliances',
    months: 24,
    terms:
      'Covers defects in materials and workmanship for 24 months from delivery, including failures to power on, charge or connect. Excludes drops, cracked screens, liquid damage and gradual battery wear.',
  },
  furniture: {
    category: 'Furniture and large items',
    months: 36,
    terms:
      'Covers defects in frames, welds, joints and mechanisms for 36 months from delivery. Excludes normal wear and tear, cosmetic marks, and commercial or rental use.',
  },
};

/** The warranty terms of a catalogue entry. */
export function warrantyTermsFor(entry: CatalogueEntry): WarrantyTerms {
  const base = WARRANTY_CLASSES[entry.warrantyClass];
  return {
    category: base.category,
    coverageMonths: base.months,
    terms: entry.exclusion === undefined ? base.terms : `${base.terms} ${entry.exclusion}`,
  };
}

export const SAMPLE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'T-Shirt',
    description: 'A soft everyday tee with reinforced seams that keep their shape wash after wash.',
    warrantyClass: 'everyday',
    options: {
      color: ['black', 'white', 'navy', 'red'],
      size: ['S', 'M', 'L', 'XL'],
      material: ['cotton', 'polyester'],
    },
    priceRange: [18, 32],
  },
  {
    name: 'Running Shoes',
    description:
      'Light cushioned running shoes with a breathable mesh upper and a grippy rubber sole.',
    warrantyClass: 'everyday',
    options: { size: ['7', '8', '9', '10', '11', '12'], color: ['black', 'grey', 'blue'] },
    priceRange: [85, 140],
  },
  {
    name: 'Hiking Boots',
    description:
      'Waterproof leather hiking boots with ankle support and a lugged sole for rough trails.',
    warrantyClass: 'everyday',
    options: { size: ['7', '8', '9', '10', '11', '12'], material: ['leather', 'synthetic'] },
    priceRange: [120, 210],
  },
  {
    name: 'Backpack',
    description:
      'A 25-litre daypack with a padded laptop sleeve, water-resistant fabric and lockable zips.',
    warrantyClass: 'everyday',
    options: { color: ['black', 'green', 'grey'], size: ['small', 'medium', 'large'] },
    priceRange: [45, 95],
  },
  {
    name: 'Luggage Set',
    description: 'A two-piece hard-shell luggage set with spinner wheels and TSA-approved locks.',
    warrantyClass: 'everyday',
    options: { color: ['silver', 'black', 'blue'], pieces: ['2-piece', '3-piece'] },
    priceRange: [160, 320],
    exclusion: 'Damage caused by airline handling is not covered.',
  },
  {
    name: 'Sunglasses',
    description: 'Polarised sunglasses with UV400 lenses and a lightweight frame.',
    warrantyClass: 'everyday',
    options: { frame: ['black', 'tortoise', 'gold'], lens: ['grey', 'green', 'mirrored'] },
    priceRange: [60, 150],
  },
  {
    name: 'Wristwatch',
    description:
      'An analogue wristwatch with a sapphire-coated crystal, water resistant to 50 metres.',
    warrantyClass: 'everyday',
    options: { strap: ['leather', 'metal', 'silicone'], dial: ['black', 'white', 'blue'] },
    priceRange: [120, 260],
  },
  {
    name: 'Water Bottle',
    description: 'An insulated bottle that keeps drinks cold for 24 hours or hot for 12.',
    warrantyClass: 'everyday',
    options: { capacity: ['500ml', '750ml', '1000ml'], color: ['black', 'blue', 'green', 'white'] },
    priceRange: [20, 42],
  },
  {
    name: 'Yoga Mat',
    description: 'A non-slip 6 mm yoga mat with a carrying strap.',
    warrantyClass: 'everyday',
    options: { thickness: ['4mm', '6mm', '8mm'], color: ['purple', 'blue', 'black'] },
    priceRange: [25, 70],
  },
  {
    name: 'Jigsaw Puzzle',
    description: 'A 1000-piece jigsaw puzzle printed on thick recycled board.',
    warrantyClass: 'everyday',
    options: { pieces: ['500', '1000', '1500'], theme: ['landscape', 'animals', 'art'] },
    priceRange: [15, 35],
  },
  {
    name: 'Pet Bed',
    description: 'A washable orthopaedic pet bed with a non-slip base.',
    warrantyClass: 'everyday',
    options: { size: ['small', 'medium', 'large'], color: ['grey', 'brown'] },
    priceRange: [35, 90],
  },
  {
    name: 'Laptop',
    description:
      'A thin and light laptop with an all-day battery, a backlit keyboard and a full-HD display.',
    warrantyClass: 'electronics',
    options: {
      screen: ['13-inch', '15-inch'],
      processor: ['i5', 'i7'],
      storage: ['256GB', '512GB', '1TB'],
    },
    priceRange: [799, 1899],
  },
  {
    name: 'Tablet',
    description: 'A 10-inch tablet with a sharp display, stereo speakers and stylus support.',
    warrantyClass: 'electronics',
    options: { storage: ['64GB', '128GB', '256GB'], color: ['silver', 'space grey'] },
    priceRange: [299, 749],
  },
  {
    name: 'Smartphone',
    description: 'An unlocked smartphone with a triple camera, 5G and a two-day battery.',
    warrantyClass: 'electronics',
    options: { storage: ['128GB', '256GB'], color: ['black', 'white', 'blue'] },
    priceRange: [499, 1099],
  },
  {
    name: 'E-Reader',
    description: 'A glare-free e-reader with an adjustable warm light and weeks of battery life.',
    warrantyClass: 'electronics',
    options: { storage: ['8GB', '32GB'], connectivity: ['Wi-Fi', 'Wi-Fi + cellular'] },
    priceRange: [109, 249],
  },
  {
    name: 'Action Camera',
    description: 'A rugged 4K action camera, waterproof to 10 metres without a case.',
    warrantyClass: 'electronics',
    options: { resolution: ['4K', '5K'], waterproof: ['yes', 'no'], color: ['black', 'silver'] },
    priceRange: [199, 499],
  },
  {
    name: 'Wireless Earbuds',
    description: 'Noise-cancelling wireless earbuds with a pocketable charging case.',
    warrantyClass: 'electronics',
    options: { color: ['black', 'white'], 'noise cancelling': ['yes', 'no'] },
    priceRange: [79, 249],
  },
  {
    name: 'Headphones',
    description: 'Over-ear headphones with active noise cancelling and 30 hours of playback.',
    warrantyClass: 'electronics',
    options: {
      type: ['over-ear', 'on-ear'],
      connectivity: ['wireless', 'wired'],
      color: ['black', 'blue', 'red'],
    },
    priceRange: [99, 379],
  },
  {
    name: 'Bluetooth Speaker',
    description: 'A waterproof Bluetooth speaker with 360-degree sound and a 20-hour battery.',
    warrantyClass: 'electronics',
    options: { color: ['black', 'red', 'blue'], 'battery life': ['10 hours', '20 hours'] },
    priceRange: [49, 199],
  },
  {
    name: 'Smart Watch',
    description: 'A fitness smart watch with heart-rate tracking, GPS and a week of battery.',
    warrantyClass: 'electronics',
    options: { color: ['black', 'silver', 'gold'], band: ['silicone', 'leather', 'metal'] },
    priceRange: [179, 449],
  },
  {
    name: 'Mechanical Keyboard',
    description: 'A mechanical keyboard with hot-swappable switches and per-key lighting.',
    warrantyClass: 'electronics',
    options: { 'switch type': ['linear', 'tactile', 'clicky'], size: ['full size', '80%', '60%'] },
    priceRange: [89, 229],
  },
  {
    name: 'Gaming Mouse',
    description:
      'A lightweight gaming mouse with a precise optical sensor and programmable buttons.',
    warrantyClass: 'electronics',
    options: { connectivity: ['wired', 'wireless'], color: ['black', 'white'] },
    priceRange: [39, 149],
  },
  {
    name: 'Portable Charger',
    description: 'A slim power bank with fast charging for phones, tablets and laptops.',
    warrantyClass: 'electronics',
    options: { capacity: ['10000mAh', '20000mAh'], color: ['black', 'white'] },
    priceRange: [29, 89],
  },
  {
    name: 'Smart Thermostat',
    description: 'A learning smart thermostat that works with the major voice assistants.',
    warrantyClass: 'electronics',
    options: {
      compatibility: ['Google Assistant', 'Amazon Alexa', 'Apple HomeKit'],
      color: ['white', 'black'],
    },
    priceRange: [149, 279],
  },
  {
    name: 'Desk Lamp',
    description: 'An LED desk lamp with adjustable colour temperature and a USB charging port.',
    warrantyClass: 'electronics',
    options: { color: ['white', 'black', 'silver'], 'power source': ['AC adapter', 'USB'] },
    priceRange: [35, 110],
    exclusion: 'The LED module is covered; bulbs sold separately are consumables.',
  },
  {
    name: 'Coffee Maker',
    description: 'A programmable drip coffee maker with a thermal carafe.',
    warrantyClass: 'electronics',
    options: { capacity: ['8 cups', '12 cups'], color: ['black', 'stainless steel'] },
    priceRange: [59, 189],
  },
  {
    name: 'Espresso Machine',
    description: 'A 15-bar espresso machine with a steam wand for milk drinks.',
    warrantyClass: 'electronics',
    options: { type: ['manual', 'automatic'], color: ['black', 'silver', 'red'] },
    priceRange: [199, 899],
  },
  {
    name: 'Electric Kettle',
    description: 'A fast-boil electric kettle with temperature presets and keep-warm.',
    warrantyClass: 'electronics',
    options: { capacity: ['1L', '1.7L'], material: ['glass', 'stainless steel', 'plastic'] },
    priceRange: [29, 99],
  },
  {
    name: 'Blender',
    description: 'A high-speed blender for smoothies, soups and crushed ice.',
    warrantyClass: 'electronics',
    options: { capacity: ['1L', '1.5L', '2L'], 'jar material': ['glass', 'plastic'] },
    priceRange: [49, 249],
  },
  {
    name: 'Robot Vacuum',
    description: 'A robot vacuum with smart mapping, app control and automatic recharging.',
    warrantyClass: 'electronics',
    options: { 'bagged/bagless': ['bagless', 'bagged'], features: ['mapping', 'self-emptying'] },
    priceRange: [249, 799],
    exclusion: 'Brushes and filters are consumables and not covered.',
  },
  {
    name: 'Air Purifier',
    description: 'A HEPA air purifier for rooms up to 500 sq ft, with an air-quality sensor.',
    warrantyClass: 'electronics',
    options: { 'room size': ['small', 'medium', 'large'], 'filter type': ['HEPA', 'carbon'] },
    priceRange: [99, 399],
    exclusion: 'Filters are consumables and not covered.',
  },
  {
    name: 'Electric Toothbrush',
    description: 'A rechargeable sonic toothbrush with a pressure sensor and travel case.',
    warrantyClass: 'electronics',
    options: { color: ['white', 'black', 'pink'], 'battery life': ['2 weeks', '4 weeks'] },
    priceRange: [39, 199],
    exclusion: 'Brush heads are consumables and not covered.',
  },
  {
    name: 'Office Chair',
    description: 'An ergonomic office chair with lumbar support and adjustable armrests.',
    warrantyClass: 'furniture',
    options: { material: ['mesh', 'fabric', 'leather'], color: ['black', 'grey', 'blue'] },
    priceRange: [229, 649],
  },
  {
    name: 'Standing Desk',
    description: 'An electric sit-stand desk with two motors and memory presets.',
    warrantyClass: 'furniture',
    options: { size: ['48 x 24 in', '60 x 30 in'], color: ['white', 'black', 'walnut'] },
    priceRange: [399, 899],
    freight: true,
  },
  {
    name: 'Bookshelf',
    description: 'A solid-wood five-shelf bookcase with a wall anchor kit.',
    warrantyClass: 'furniture',
    options: { material: ['oak', 'walnut', 'white laminate'], height: ['4 ft', '6 ft'] },
    priceRange: [149, 449],
    freight: true,
  },
  {
    name: 'Sofa',
    description: 'A three-seat sofa with a kiln-dried hardwood frame and removable covers.',
    warrantyClass: 'furniture',
    options: { fabric: ['linen', 'velvet', 'leather'], color: ['grey', 'green', 'beige'] },
    priceRange: [899, 2199],
    freight: true,
  },
  {
    name: 'Gas Grill',
    description: 'A four-burner propane grill with a side burner and cast-iron grates.',
    warrantyClass: 'furniture',
    options: { burners: ['3', '4'], color: ['black', 'stainless steel'] },
    priceRange: [349, 999],
    freight: true,
    exclusion:
      'Grates and burners that wear through normal cooking are not covered after 12 months.',
  },
  {
    name: 'Bicycle',
    description:
      'A commuter bicycle with an aluminium frame, disc brakes and an 8-speed drivetrain.',
    warrantyClass: 'furniture',
    options: { 'frame size': ['small', 'medium', 'large'], type: ['road', 'hybrid', 'mountain'] },
    priceRange: [499, 1499],
    freight: true,
  },
];
