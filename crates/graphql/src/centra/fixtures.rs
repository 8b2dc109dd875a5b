//! The fixture file's format (YAML, of which JSON is a subset): the catalog's sections and
//! `types`, values for any field of any type. docs/graphql.md shows every section.

use std::collections::HashMap;

use serde::Deserialize;

use crate::behaviour::LoadError;

/// A fixture file: every section optional; a section given replaces the default one.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fixtures {
    pub(super) markets: Option<Vec<Market>>,
    pub(super) pricelists: Option<Vec<Pricelist>>,
    pub(super) languages: Option<Vec<Language>>,
    pub(super) countries: Option<Vec<Country>>,
    pub(super) session: Option<Start>,
    pub(super) brands: Option<Vec<Named>>,
    pub(super) collections: Option<Vec<Named>>,
    pub(super) categories: Option<Vec<Named>>,
    pub(super) size_charts: Option<Vec<Vec<String>>>,
    pub(super) generate: Option<Generate>,
    pub(super) display_items: Option<Vec<DisplayItem>>,
    pub(super) vouchers: Option<Vec<Voucher>>,
    pub(super) customers: Option<Vec<Customer>>,
    /// Values for any field of any type, by type then field (`Brand: {metaTitle: ...}`),
    /// used wherever the mock has no value of its own.
    #[serde(default)]
    pub types: HashMap<String, serde_json::Map<String, serde_json::Value>>,
}

impl Fixtures {
    /// Reads a fixture file (YAML, of which JSON is a subset).
    pub fn from_str(source_name: &str, text: &str) -> Result<Fixtures, LoadError> {
        serde_saphyr::from_str(text).map_err(|e| LoadError::Fixtures {
            source_name: source_name.to_owned(),
            message: e.to_string(),
        })
    }
}

/// A market.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Market {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A pricelist and its currency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Pricelist {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// ISO currency code.
    pub currency: String,
    /// Base price × rate = this pricelist's price.
    #[serde(default = "one")]
    pub rate: f64,
    /// Written before amounts (`$`).
    #[serde(default)]
    pub prefix: String,
    /// Written after amounts (` SEK`).
    #[serde(default)]
    pub suffix: String,
}

fn one() -> f64 {
    1.0
}

/// A language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Language {
    /// Its code (`en`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Whether it is the default, the fallback for missing translations.
    #[serde(default)]
    pub default: bool,
}

/// A country and the market and pricelist choosing it leads to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Country {
    /// ISO code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The market a session in this country uses.
    pub market: i64,
    /// The pricelist a session in this country uses.
    pub pricelist: i64,
    /// Its default language.
    pub language: Option<String>,
    /// Whether it is in the EU.
    #[serde(default)]
    pub eu: bool,
    /// Its states, if it has any.
    #[serde(default)]
    pub states: Vec<State>,
}

/// A country's state.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct State {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// Where a new session starts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Start {
    /// Country code.
    pub country: String,
    /// Language code.
    pub language: String,
}

/// A brand, collection or category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Named {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Generate {
    pub(super) display_items: usize,
}

/// A display item (a product as the shop shows it) and its sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct DisplayItem {
    /// Its id.
    pub id: i64,
    /// Its name in the default language.
    pub name: String,
    /// Its URI.
    pub uri: String,
    /// Brand id.
    pub brand: Option<i64>,
    /// Collection id.
    pub collection: Option<i64>,
    /// Category id.
    pub category: Option<i64>,
    /// Size names; item `ID-N` is the N-th size.
    pub sizes: Vec<String>,
    /// Base price (rate 1).
    pub price: f64,
    /// Exact prices by pricelist id, over `price × rate`.
    #[serde(default)]
    pub prices: HashMap<String, f64>,
    /// Whether it can be bought.
    #[serde(default = "yes")]
    pub available: bool,
    /// Names by language code.
    #[serde(default)]
    pub translations: HashMap<String, String>,
}

fn yes() -> bool {
    true
}

/// A code voucher: a percentage or an amount off the items.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Voucher {
    /// The code shoppers type.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Percent off the items.
    pub percent: Option<f64>,
    /// Amount off, in the base currency (× the pricelist's rate).
    pub amount: Option<f64>,
}

/// A customer who can log in.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Customer {
    /// Login email.
    pub email: String,
    /// Login password.
    pub password: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}
