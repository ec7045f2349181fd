"""What the demo producers make: product lines (one kind of product in one pack) and trades (a craft,
the lines it makes, and the words its producers use about themselves).

The lines follow the province's typical OCOP products (DOMAIN.md); brands and producers are invented.
Story templates take {producer}, {commune} and {year}.
"""
from dataclasses import dataclass

from ..catalog.models import ProductGroup

FOOD, DRINKS, HERBS = ProductGroup.FOOD, ProductGroup.DRINKS, ProductGroup.HERBS
HANDICRAFTS, ORNAMENTALS, TOURISM = ProductGroup.HANDICRAFTS, ProductGroup.ORNAMENTALS, ProductGroup.TOURISM


@dataclass(frozen=True)
class Text:
    vi: str
    en: str


@dataclass(frozen=True)
class Line:
    key: str
    group: ProductGroup
    subgroup: str
    name: Text
    unit: Text
    price: int | None
    summary: Text
    description: Text
    motif: str  # "shape" or "shape/tint", drawn by drawing.py
    typical: bool = False  # one of the province's signature products: also shows its home district
    branded: bool = True  # tourism places keep their own name, without a producer's brand


def line(key, group, subgroup, name, unit, price, motif, summary, description, **flags) -> Line:
    return Line(key, group, subgroup, Text(*name), Text(*unit), price, Text(*summary), Text(*description),
                motif, **flags)


LINES: dict[str, Line] = {item.key: item for item in (
    # Lý Sơn garlic and shallots
    line("ly_son_garlic", FOOD, "raw_processed", ("Tỏi Lý Sơn", "Lý Sơn garlic"),
         ("Túi lưới 1 kg", "1 kg net bag"), 180000, "garlic",
         ("Tỏi củ nhỏ, tép chắc, thơm nồng, trồng trên cát biển của đảo Lý Sơn.",
          "Small, firm, pungent bulbs grown on the sea sand of Lý Sơn island."),
         ("Tỏi được thu hoạch cuối vụ khô, phơi tự nhiên và tuyển chọn từng củ. Dùng để nêm nếm, ngâm giấm "
          "hoặc ăn sống cùng hải sản.",
          "Harvested at the end of the dry season, sun-dried and sorted bulb by bulb. Use it in cooking, "
          "pickle it in vinegar or eat it raw with seafood."), typical=True),
    line("single_clove_garlic", FOOD, "raw_processed", ("Tỏi cô đơn Lý Sơn", "Lý Sơn single-clove garlic"),
         ("Hộp 500 g", "500 g box"), 320000, "garlic_single",
         ("Củ tỏi chỉ có một tép, vị cay ngọt, được tuyển riêng từ mỗi vụ.",
          "Bulbs with a single clove, sweet and hot, picked out of each harvest."),
         ("Chỉ một phần nhỏ củ tỏi mỗi vụ phát triển thành một tép duy nhất. Người Lý Sơn thường ngâm tỏi "
          "cô đơn với mật ong hoặc rượu.",
          "Only a small share of each harvest grows into a single clove. Islanders often steep single-clove "
          "garlic in honey or rice liquor."), typical=True),
    line("black_garlic", FOOD, "processed", ("Tỏi đen Lý Sơn", "Lý Sơn black garlic"),
         ("Hũ 250 g", "250 g jar"), 185000, "black_garlic",
         ("Tỏi Lý Sơn ủ chậm đến khi tép đen, dẻo, vị ngọt dịu.",
          "Lý Sơn garlic aged slowly until the cloves turn black, soft and mildly sweet."),
         ("Tỏi tươi được ủ ở nhiệt độ và độ ẩm ổn định trong khoảng 40 ngày, không chất phụ gia. Tép tỏi "
          "chuyển màu đen, mềm dẻo, hết hăng; mỗi ngày dùng vài tép.",
          "Fresh bulbs are aged at a steady temperature and humidity for about 40 days, with nothing added. "
          "The cloves turn black and soft and lose their bite; eat a few a day."), typical=True),
    line("black_single_clove", FOOD, "processed", ("Tỏi đen cô đơn Lý Sơn", "Lý Sơn single-clove black garlic"),
         ("Hộp 500 g", "500 g box"), 480000, "black_garlic",
         ("Tỏi cô đơn Lý Sơn ủ thành tỏi đen, tép tròn, dẻo và ngọt.",
          "Single-clove Lý Sơn garlic aged into black garlic: round, chewy and sweet cloves."),
         ("Làm từ những củ tỏi cô đơn được tuyển chọn, ủ lên men tự nhiên khoảng 45 ngày. Hộp giấy có lớp "
          "lót giữ khô, hợp làm quà biếu.",
          "Made from selected single-clove bulbs, naturally aged for about 45 days. The paper box has a dry "
          "inner lining and makes a good gift."), typical=True),
    line("garlic_honey", FOOD, "processed", ("Tỏi Lý Sơn ngâm mật ong", "Lý Sơn garlic in honey"),
         ("Hũ 500 ml", "500 ml jar"), 165000, "jar/amber",
         ("Tép tỏi Lý Sơn bóc sẵn ngâm trong mật ong nguyên chất.",
          "Peeled Lý Sơn garlic cloves steeped in pure honey."),
         ("Tỏi được bóc vỏ, để ráo rồi ngâm mật ong ít nhất ba tháng trước khi đóng hũ. Dùng một thìa nhỏ "
          "mỗi sáng hoặc pha nước ấm.",
          "Peeled and dried cloves steep in honey for at least three months before bottling. Take a small "
          "spoonful each morning or stir it into warm water.")),
    line("black_garlic_extract", HERBS, "functional_food", ("Cao tỏi đen", "Black garlic extract"),
         ("Lọ 100 g", "100 g jar"), 350000, "jar/dark",
         ("Cao cô đặc từ tỏi đen Lý Sơn, dùng pha nước ấm.",
          "A thick extract of Lý Sơn black garlic, to stir into warm water."),
         ("Tỏi đen được chiết và cô đặc ở nhiệt độ thấp để giữ hương vị. Thực phẩm này không phải là thuốc "
          "và không có tác dụng thay thế thuốc chữa bệnh.",
          "Black garlic is extracted and concentrated at low temperature to keep its flavour. This food is "
          "not a medicine and does not replace medical treatment.")),
    line("garlic_liquor", DRINKS, "alcoholic", ("Rượu tỏi Lý Sơn", "Lý Sơn garlic liquor"),
         ("Chai 500 ml", "500 ml bottle"), 150000, "bottle/clear",
         ("Rượu gạo ngâm tỏi Lý Sơn, 29% độ cồn.", "Rice liquor steeped with Lý Sơn garlic, 29% alcohol."),
         ("Rượu nấu từ gạo, ngâm tỏi cô đơn trong chum sành ít nhất sáu tháng. Không bán cho người dưới "
          "18 tuổi.",
          "Rice liquor steeped with single-clove garlic in stoneware jars for at least six months. Not sold "
          "to anyone under 18.")),
    line("ly_son_shallot", FOOD, "raw_processed", ("Hành tím Lý Sơn", "Lý Sơn shallots"),
         ("Túi 1 kg", "1 kg bag"), 95000, "shallot",
         ("Hành tím củ nhỏ, vỏ đỏ tía, vị cay nhẹ và thơm.",
          "Small purple-red shallots, mildly hot and fragrant."),
         ("Hành được trồng trên những ruộng cát của đảo, nhổ về phơi khô và buộc thành túm. Dùng phi thơm, "
          "làm dưa hoặc ăn kèm món nướng.",
          "Grown on the island's sand fields, pulled, dried and tied in bunches. Fry them, pickle them or "
          "serve them with grilled dishes."), typical=True),
    line("fried_shallot", FOOD, "processed", ("Hành tím Lý Sơn phi giòn", "Crispy fried Lý Sơn shallots"),
         ("Hũ 200 g", "200 g jar"), 68000, "jar/golden",
         ("Hành tím Lý Sơn thái mỏng, phi vàng giòn trong dầu phộng.",
          "Thinly sliced Lý Sơn shallots fried golden in peanut oil."),
         ("Rắc lên cháo, phở, cơm tấm hay rau trộn. Đậy kín nắp sau khi dùng để hành luôn giòn.",
          "Sprinkle over rice porridge, noodle soups, broken rice or salads. Close the lid after use to keep "
          "them crisp."), typical=True),
    line("pickled_shallot", FOOD, "processed", ("Hành tím Lý Sơn ngâm chua ngọt",
                                                  "Sweet-and-sour pickled Lý Sơn shallots"),
         ("Hũ 400 g", "400 g jar"), 55000, "jar/pink",
         ("Củ hành tím ngâm giấm đường, giòn và thơm.", "Shallots pickled in sweet vinegar, crunchy and fragrant."),
         ("Món dưa hành quen thuộc trong mâm cỗ Tết của người Quảng Ngãi, ăn kèm thịt kho và bánh tét.",
          "A familiar pickle on Quảng Ngãi Tết tables, eaten with braised pork and sticky rice cake.")),
    line("dried_seaweed", FOOD, "raw_processed", ("Rong biển Lý Sơn sấy khô", "Dried Lý Sơn seaweed"),
         ("Túi 200 g", "200 g bag"), 70000, "seaweed",
         ("Rong biển vớt ở rạn san hô quanh đảo, phơi và sấy khô.",
          "Seaweed gathered on the reefs around the island, sun-dried and then dried."),
         ("Ngâm nước vài phút cho nở rồi nấu canh, làm gỏi hoặc nấu chè.",
          "Soak for a few minutes, then cook it in soup, toss it in a salad or make a sweet soup.")),
    line("sun_dried_squid", FOOD, "raw_processed", ("Mực một nắng Lý Sơn", "Lý Sơn one-sun squid"),
         ("Túi 500 g", "500 g bag"), 390000, "squid",
         ("Mực câu phơi đúng một nắng, thịt dày và ngọt.", "Line-caught squid dried for a single day in the sun."),
         ("Bảo quản ngăn đá, giao kèm túi giữ lạnh. Nướng than hoặc chiên sơ, chấm tương ớt.",
          "Keep frozen; shipped with a cool bag. Grill over charcoal or pan-fry and serve with chilli sauce.")),
    # Trà Bồng cinnamon
    line("tra_bong_cinnamon", FOOD, "seasonings", ("Quế Trà Bồng", "Trà Bồng cinnamon bark"),
         ("Bó 500 g", "500 g bundle"), 140000, "cinnamon",
         ("Vỏ quế dày, nhiều tinh dầu, vị cay ngọt, thuộc chỉ dẫn địa lý Trà Bồng.",
          "Thick, oil-rich bark, sweet and warm, from the Trà Bồng geographical indication."),
         ("Vỏ quế được bóc từ cây nhiều năm tuổi, ủ và phơi khô theo cách truyền thống. Dùng nấu nước dùng, "
          "hầm thịt hoặc pha trà.",
          "Bark peeled from trees many years old, cured and dried the traditional way. Use it in broths, "
          "stews or tea."), typical=True),
    line("cinnamon_powder", FOOD, "seasonings", ("Bột quế Trà Bồng", "Trà Bồng ground cinnamon"),
         ("Hũ 100 g", "100 g jar"), 55000, "jar/cinnamon",
         ("Quế Trà Bồng xay mịn, thơm đậm.", "Finely ground Trà Bồng cinnamon with a deep aroma."),
         ("Xay từ vỏ quế đã phơi khô, không pha trộn. Dùng làm bánh, pha cà phê hoặc ướp thịt.",
          "Ground from dried bark with nothing added. For baking, coffee or marinades."), typical=True),
    line("cinnamon_oil", HERBS, "essential_oils", ("Tinh dầu quế Trà Bồng", "Trà Bồng cinnamon essential oil"),
         ("Chai 20 ml", "20 ml bottle"), 125000, "dropper/cinnamon",
         ("Tinh dầu chưng cất từ lá và vỏ quế Trà Bồng.",
          "Essential oil distilled from Trà Bồng cinnamon leaves and bark."),
         ("Nhỏ vài giọt vào máy khuếch tán để làm thơm phòng. Không uống; pha loãng trước khi dùng ngoài da.",
          "Put a few drops in a diffuser to scent a room. Do not swallow; dilute before use on skin."),
         typical=True),
    line("cinnamon_incense", HERBS, "essential_oils", ("Nhang quế Trà Bồng", "Trà Bồng cinnamon incense"),
         ("Hộp 200 que", "box of 200 sticks"), 85000, "incense",
         ("Nhang làm từ bột vỏ quế, cháy đều, khói nhẹ.",
          "Incense made from cinnamon-bark powder; burns evenly with little smoke."),
         ("Bột quế trộn keo tự nhiên, se tay trên tăm tre và phơi nắng. Không dùng hóa chất tạo mùi.",
          "Cinnamon powder mixed with a natural binder, rolled by hand on bamboo sticks and sun-dried. No "
          "added fragrance."), typical=True),
    line("cinnamon_tea", DRINKS, "non_alcoholic", ("Trà quế", "Cinnamon tea"),
         ("Hộp 20 túi lọc", "box of 20 tea bags"), 60000, "cup/cinnamon",
         ("Trà túi lọc từ vỏ quế Trà Bồng và lá chè xanh.", "Tea bags of Trà Bồng cinnamon bark and green tea."),
         ("Hãm một túi với nước sôi trong ba phút. Uống nóng hoặc pha với mật ong.",
          "Steep one bag in boiling water for three minutes. Drink hot or with honey.")),
    line("cinnamon_soap", HERBS, "herbal_cosmetics", ("Xà phòng quế thiên nhiên", "Natural cinnamon soap"),
         ("Bánh 100 g", "100 g bar"), 45000, "soap/cinnamon",
         ("Xà phòng thủ công từ dầu dừa và tinh dầu quế.", "Handmade soap of coconut oil and cinnamon oil."),
         ("Làm theo phương pháp nấu lạnh, để khô sáu tuần trước khi đóng gói.",
          "Cold-process soap, cured for six weeks before packing.")),
    line("cinnamon_gift_box", HANDICRAFTS, "decorative", ("Hộp quà mỹ nghệ vỏ quế", "Cinnamon-bark gift box"),
         ("Chiếc 20 × 12 cm", "20 × 12 cm box"), 280000, "gift_box",
         ("Hộp đựng quà ghép từ vỏ quế, thơm lâu.", "A gift box assembled from cinnamon bark; its scent lasts."),
         ("Vỏ quế được ép phẳng, ghép thủ công trên khung gỗ. Đựng trà, trang sức hoặc làm quà lưu niệm.",
          "Cinnamon bark is pressed flat and fitted by hand on a wooden frame. For tea, jewellery or as a "
          "keepsake.")),
    line("cinnamon_liquor", DRINKS, "alcoholic", ("Rượu quế Trà Bồng", "Trà Bồng cinnamon liquor"),
         ("Chai 500 ml", "500 ml bottle"), 160000, "bottle/amber",
         ("Rượu gạo ngâm vỏ quế Trà Bồng, 30% độ cồn.", "Rice liquor steeped with Trà Bồng cinnamon, 30% alcohol."),
         ("Vỏ quế ngâm trong rượu gạo nấu thủ công ít nhất một năm. Không bán cho người dưới 18 tuổi.",
          "Cinnamon bark steeped in hand-distilled rice liquor for at least a year. Not sold to anyone "
          "under 18.")),
    # Thi Phổ malt, kẹo gương and the sugar of the Trà Khúc plain
    line("thi_pho_malt", FOOD, "processed", ("Mạch nha Thi Phổ", "Thi Phổ malt syrup"),
         ("Hũ 500 g", "500 g jar"), 75000, "jar/amber",
         ("Mạch nha trong, dẻo, ngọt thanh, nấu từ gạo nếp và mầm lúa.",
          "Clear, thick, gently sweet syrup cooked from glutinous rice and sprouted rice."),
         ("Ăn kèm bánh tráng nướng, pha nước uống mát hoặc dùng nấu chè, kho cá.",
          "Eat it with grilled rice paper, stir it into a cool drink, or use it in sweet soups and braised "
          "fish."), typical=True),
    line("keo_guong", FOOD, "processed", ("Kẹo gương", "Kẹo gương malt brittle"),
         ("Hộp 10 chiếc", "box of 10"), 45000, "candy_discs",
         ("Kẹo tròn trong như gương, làm từ mạch nha và đậu phộng trên bánh tráng mỏng.",
          "Round, mirror-clear candy of malt syrup and peanuts on thin rice paper."),
         ("Mạch nha nấu tới, đổ thành lớp mỏng trên bánh tráng, rắc đậu phộng và mè. Bảo quản nơi khô ráo.",
          "Malt syrup is cooked, poured thin onto rice paper and scattered with peanuts and sesame. Keep "
          "in a dry place."), typical=True),
    line("malt_peanut_candy", FOOD, "processed", ("Kẹo mạch nha đậu phộng", "Malt and peanut candy"),
         ("Gói 300 g", "300 g pack"), 40000, "candy",
         ("Kẹo giòn từ mạch nha và đậu phộng rang.", "Crunchy candy of malt syrup and roasted peanuts."),
         ("Cắt miếng vừa ăn, gói từng chiếc. Món quà quen thuộc ngày Tết.",
          "Cut into bite-sized pieces and wrapped one by one; a familiar Tết treat.")),
    line("puffed_rice_cake", FOOD, "processed", ("Bánh nổ", "Puffed rice cakes"),
         ("Túi 10 chiếc", "bag of 10"), 35000, "puffed_cake",
         ("Bánh gạo nếp nổ kết bằng mạch nha, giòn xốp.",
          "Puffed glutinous rice bound with malt syrup, light and crisp."),
         ("Gạo nếp rang nổ, trộn mạch nha và gừng rồi nén thành bánh tròn.",
          "Popped glutinous rice mixed with malt and ginger, pressed into rounds.")),
    line("ginger_malt", FOOD, "processed", ("Mạch nha gừng", "Ginger malt syrup"),
         ("Hũ 400 g", "400 g jar"), 70000, "jar/golden",
         ("Mạch nha nấu cùng gừng tươi, ấm và ngọt.", "Malt syrup cooked with fresh ginger, warm and sweet."),
         ("Pha một thìa với nước ấm vào ngày mưa lạnh, hoặc ăn kèm bánh tráng.",
          "Stir a spoonful into warm water on cold, rainy days, or eat it with rice paper.")),
    line("rock_sugar", FOOD, "processed", ("Đường phèn Quảng Ngãi", "Quảng Ngãi rock sugar"),
         ("Túi 500 g", "500 g bag"), 48000, "crystals",
         ("Đường phèn kết tinh tự nhiên từ nước mía, trong và ngọt thanh.",
          "Rock sugar crystallised slowly from cane juice, clear and gently sweet."),
         ("Nước đường được nấu, để kết tinh trong nhiều ngày quanh những thanh tre. Dùng nấu chè, chưng yến, "
          "pha trà.",
          "Syrup is cooked and left to crystallise for days around bamboo sticks. For sweet soups, "
          "steamed desserts and tea."), typical=True),
    line("puffed_sugar", FOOD, "processed", ("Đường phổi", "Đường phổi honeycomb cane sugar"),
         ("Hộp 300 g", "300 g box"), 52000, "sugar_block",
         ("Đường mía đánh xốp như tổ ong, tan nhanh, thơm mùi mía.",
          "Cane sugar beaten light as honeycomb; melts fast and smells of sugarcane."),
         ("Nước mía nấu đặc, đánh cho nổi bọt rồi đổ khuôn. Ăn kèm trà hoặc làm quà.",
          "Cane juice is boiled down, beaten to a foam and set in moulds. Eat with tea or give as a gift."),
         typical=True),
    line("cane_molasses", FOOD, "processed", ("Mật mía", "Sugarcane molasses"),
         ("Chai 500 ml", "500 ml bottle"), 45000, "bottle/dark",
         ("Mật mía sánh, thơm, nấu từ mía trồng ven sông Trà Khúc.",
          "Thick, fragrant molasses from cane grown along the Trà Khúc river."),
         ("Dùng kho cá, làm bánh, pha nước gừng.", "For braised fish, cakes and ginger drinks.")),
    # Salt and fish sauce of the coast
    line("sa_huynh_salt", FOOD, "seasonings", ("Muối hạt Sa Huỳnh", "Sa Huỳnh sea salt"),
         ("Túi 1 kg", "1 kg bag"), 25000, "salt",
         ("Muối hạt phơi nắng trên ruộng muối Sa Huỳnh, mặn dịu, hậu ngọt.",
          "Coarse salt sun-dried in the Sa Huỳnh salt fields: mild, with a sweet finish."),
         ("Nước biển được dẫn vào ô ruộng, phơi nắng và cào thành hạt. Dùng muối dưa, ướp cá, nấu ăn hằng "
          "ngày.",
          "Sea water flows into the fields, dries in the sun and is raked into crystals. For pickling, "
          "curing fish and everyday cooking."), typical=True),
    line("salt_flakes", FOOD, "seasonings", ("Hoa muối Sa Huỳnh", "Sa Huỳnh salt flakes"),
         ("Hũ 250 g", "250 g jar"), 60000, "salt/fine",
         ("Lớp tinh thể muối mỏng đầu tiên hớt trên mặt ruộng muối.",
          "The first thin crust of crystals skimmed off the salt pans."),
         ("Hoa muối chỉ kết vào những buổi chiều nắng gió. Rắc lên món nướng, salad hoặc trái cây.",
          "The flakes only form on sunny, windy afternoons. Sprinkle over grilled food, salads or fruit."),
         typical=True),
    line("shrimp_salt", FOOD, "seasonings", ("Muối tôm Sa Huỳnh", "Sa Huỳnh shrimp salt"),
         ("Hũ 200 g", "200 g jar"), 45000, "jar/orange",
         ("Muối Sa Huỳnh rang cùng tôm khô và ớt.", "Sa Huỳnh salt roasted with dried shrimp and chilli."),
         ("Chấm trái cây xanh, rắc bánh tráng trộn.", "A dip for green fruit, or a topping for rice-paper salad.")),
    line("green_chilli_salt", FOOD, "seasonings", ("Muối ớt xanh", "Green chilli salt"),
         ("Hũ 200 g", "200 g jar"), 42000, "jar/green",
         ("Muối giã cùng ớt xanh, lá chanh, vị cay thơm.", "Salt pounded with green chilli and lime leaves."),
         ("Chấm hải sản luộc, gà luộc hay trái cây.", "A dip for boiled seafood, chicken or fruit.")),
    line("anchovy_fish_sauce", FOOD, "seasonings", ("Nước mắm cá cơm truyền thống", "Traditional anchovy fish sauce"),
         ("Chai 500 ml", "500 ml bottle"), 95000, "bottle/amber",
         ("Nước mắm ủ chượp cá cơm và muối biển ít nhất 12 tháng, không chất bảo quản.",
          "Anchovies and sea salt fermented for at least 12 months, no preservatives."),
         ("Cá cơm tươi được ướp muối ngay trong ngày, ủ trong thùng gỗ và lọc tự nhiên. 25 độ đạm.",
          "Fresh anchovies are salted the day they land, fermented in wooden barrels and filtered naturally. "
          "25° protein."), typical=True),
    line("first_press_fish_sauce", FOOD, "seasonings", ("Nước mắm nhĩ cá cơm 40 độ đạm",
                                                         "First-press anchovy fish sauce, 40° protein"),
         ("Chai 500 ml", "500 ml bottle"), 165000, "bottle/dark",
         ("Giọt mắm nhĩ đầu tiên rút từ thùng chượp, đậm và thơm.",
          "The first drops drawn from the fermenting barrel, rich and fragrant."),
         ("Chỉ lấy phần nước mắm nhĩ chảy ra tự nhiên, không pha thêm. Dùng chấm hoặc nêm món ăn sau khi nấu.",
          "Only the first free-running sauce, nothing added. Use it as a dip or to season food after "
          "cooking."), typical=True),
    line("shrimp_paste", FOOD, "seasonings", ("Mắm ruốc", "Fermented shrimp paste"),
         ("Hũ 500 g", "500 g jar"), 70000, "jar/pink",
         ("Mắm ruốc làm từ con ruốc biển và muối, màu hồng tím.",
          "Paste of tiny sea shrimp and salt, pinkish purple."),
         ("Xào cùng sả ớt để chấm thịt luộc, xoài xanh.",
          "Fry with lemongrass and chilli as a dip for boiled pork or green mango.")),
    line("mam_nem", FOOD, "seasonings", ("Mắm nêm", "Mắm nêm anchovy dip"),
         ("Chai 500 ml", "500 ml bottle"), 55000, "bottle/dark",
         ("Mắm cá cơm để nguyên xác, đậm đà, dùng pha nước chấm.",
          "Whole fermented anchovies, strong and savoury, for dipping sauces."),
         ("Pha cùng tỏi, ớt, thơm (dứa) và chút đường để chấm bánh tráng cuốn thịt heo.",
          "Mix with garlic, chilli, pineapple and a little sugar for rice-paper pork rolls.")),
    line("dried_anchovies", FOOD, "raw_processed", ("Cá cơm khô", "Dried anchovies"),
         ("Túi 500 g", "500 g bag"), 145000, "fish/silver",
         ("Cá cơm luộc sơ nước muối và phơi nắng ngay trên bãi biển.",
          "Anchovies blanched in brine and sun-dried right on the beach."),
         ("Rim mặn ngọt, rang giòn hoặc nấu canh.", "Caramelise them, fry them crisp or add them to soups.")),
    line("dried_squid", FOOD, "raw_processed", ("Mực khô", "Dried squid"), ("Túi 500 g", "500 g bag"), 650000,
         "squid",
         ("Mực ống phơi khô, thịt dày, ngọt.", "Sun-dried squid with thick, sweet flesh."),
         ("Nướng than, xé sợi chấm tương ớt; bảo quản nơi khô mát.",
          "Grill over charcoal and tear into strips with chilli sauce; keep cool and dry.")),
    line("fish_cake", FOOD, "processed", ("Chả cá", "Fish cake"), ("Túi 500 g", "500 g bag"), 110000,
         "fish_cake",
         ("Chả cá thu, cá mối quết tay, dai và ngọt.", "Hand-pounded mackerel and lizardfish cake, springy and sweet."),
         ("Bảo quản ngăn mát. Chiên, nấu bún hoặc ăn kèm bánh mì.",
          "Keep refrigerated. Fry it, add it to noodle soup or eat it in a baguette.")),
    line("sun_dried_mackerel", FOOD, "raw_processed", ("Cá thu một nắng", "One-sun mackerel"),
         ("Túi 500 g", "500 g bag"), 260000, "fish/blue",
         ("Cá thu cắt khúc, phơi một nắng, giữ vị ngọt của cá tươi.",
          "Mackerel steaks dried in the sun for a single day, still sweet as fresh fish."),
         ("Bảo quản ngăn đá. Chiên vàng và ăn với cơm nóng.",
          "Keep frozen. Fry until golden and eat with hot rice.")),
    line("braised_goby", FOOD, "processed", ("Cá bống sông Trà kho tiêu", "Trà river gobies braised with pepper"),
         ("Hũ 300 g", "300 g jar"), 150000, "clay_pot",
         ("Cá bống sông Trà Khúc kho keo với tiêu và nước mắm.",
          "Gobies from the Trà Khúc river braised down with pepper and fish sauce."),
         ("Cá kho liu riu nhiều giờ trong nồi đất đến khi thấm và săn lại. Ăn với cơm trắng hoặc cháo.",
          "Simmered for hours in a clay pot until firm and glazed. Eat with rice or rice porridge.")),
    line("caramelised_goby", FOOD, "processed", ("Cá bống sông Trà rim", "Caramelised Trà river gobies"),
         ("Hũ 200 g", "200 g jar"), 120000, "clay_pot",
         ("Cá bống rim mặn ngọt, món quà quen của người Quảng Ngãi xa quê.",
          "Sweet-and-salty gobies, a favourite to take to family far from home."),
         ("Rim với đường, nước mắm, hành tím. Bảo quản ngăn mát sau khi mở.",
          "Caramelised with sugar, fish sauce and shallots. Refrigerate once opened.")),
    # Mushrooms, beef, rice paper, rice
    line("red_lingzhi", HERBS, "functional_food", ("Nấm linh chi đỏ", "Red lingzhi mushroom"),
         ("Hộp 500 g", "500 g box"), 560000, "mushroom",
         ("Nấm linh chi nguyên tai, trồng trên giá thể mùn cưa, sấy khô.",
          "Whole lingzhi caps grown on sawdust and dried."),
         ("Thái lát, sắc nước uống hằng ngày. Thực phẩm này không phải là thuốc và không có tác dụng thay "
          "thế thuốc chữa bệnh.",
          "Slice and simmer as a daily drink. This food is not a medicine and does not replace medical "
          "treatment."), typical=True),
    line("sliced_lingzhi", HERBS, "functional_food", ("Nấm linh chi thái lát", "Sliced lingzhi mushroom"),
         ("Túi 250 g", "250 g bag"), 320000, "mushroom/slices",
         ("Linh chi thái lát mỏng, tiện hãm trà.", "Thinly sliced lingzhi, ready to steep."),
         ("Hãm 5–7 lát với nước sôi, có thể hãm lại nhiều lần trong ngày.",
          "Steep 5–7 slices in boiling water; they can be steeped several times a day."), typical=True),
    line("lingzhi_tea", DRINKS, "non_alcoholic", ("Trà linh chi túi lọc", "Lingzhi tea bags"),
         ("Hộp 30 túi", "box of 30 bags"), 120000, "cup/red",
         ("Trà túi lọc từ nấm linh chi, cỏ ngọt và hoa cúc.", "Tea bags of lingzhi, stevia and chrysanthemum."),
         ("Hãm một túi với nước sôi trong năm phút.", "Steep one bag in boiling water for five minutes.")),
    line("oyster_mushroom", FOOD, "fresh", ("Nấm bào ngư tươi", "Fresh oyster mushrooms"),
         ("Khay 500 g", "500 g tray"), 45000, "mushroom/grey",
         ("Nấm bào ngư hái trong ngày từ trại nấm.", "Oyster mushrooms picked the same day."),
         ("Giao trong tỉnh, bảo quản ngăn mát tối đa ba ngày.",
          "Delivered within the province; keeps three days in the fridge.")),
    line("dried_beef", FOOD, "processed", ("Thịt bò khô", "Dried beef"), ("Túi 250 g", "250 g bag"), 210000,
         "beef",
         ("Bò vàng Quảng Ngãi tẩm ớt, sả, phơi khô, dai và đậm vị.",
          "Local yellow-cattle beef marinated with chilli and lemongrass, dried until chewy and rich."),
         ("Thịt bò được lọc gân, thái miếng, ướp một đêm rồi sấy. Ăn kèm dưa leo hoặc làm gỏi.",
          "The beef is trimmed, sliced, marinated overnight and dried. Eat with cucumber or in a salad."),
         typical=True),
    line("shredded_beef", FOOD, "processed", ("Bò khô sợi", "Shredded dried beef"), ("Hũ 200 g", "200 g jar"),
         175000, "beef/shreds",
         ("Bò khô xé sợi, cay nhẹ, tiện nhâm nhi.", "Dried beef torn into strands, mildly spicy, ready to snack."),
         ("Xé tay từng sợi sau khi sấy. Đóng hũ kín, dùng trong một tháng sau khi mở.",
          "Torn by hand after drying. Sealed jar; eat within a month of opening."), typical=True),
    line("lime_leaf_beef", FOOD, "processed", ("Bò khô lá chanh", "Dried beef with lime leaves"),
         ("Hũ 250 g", "250 g jar"), 195000, "beef",
         ("Bò khô rim cùng lá chanh thái chỉ, thơm mát.", "Dried beef tossed with shredded lime leaves."),
         ("Món nhắm quen thuộc; bảo quản nơi khô mát.", "A familiar snack; keep cool and dry.")),
    line("sesame_rice_paper", FOOD, "processed", ("Bánh tráng nướng mè đen", "Black-sesame rice paper for grilling"),
         ("Gói 10 chiếc", "pack of 10"), 40000, "rice_paper",
         ("Bánh tráng gạo rắc mè đen, nướng than giòn phồng.",
          "Rice paper scattered with black sesame that puffs up crisp over charcoal."),
         ("Nướng trên than hoặc lò vi sóng, chấm mạch nha hoặc ăn kèm gỏi, mì Quảng.",
          "Grill over charcoal or in a microwave; dip in malt syrup or serve with salads and mì Quảng."),
         typical=True),
    line("brown_rice_paper", FOOD, "processed", ("Bánh tráng gạo lứt", "Brown-rice rice paper"),
         ("Gói 20 chiếc", "pack of 20"), 45000, "rice_paper/brown",
         ("Bánh tráng tráng tay từ gạo lứt, thơm bùi.", "Hand-made rice paper of brown rice, nutty and fragrant."),
         ("Nhúng nước cuốn rau thịt, hoặc nướng giòn.", "Dip in water to roll with herbs and meat, or grill crisp."),
         typical=True),
    line("thin_rice_paper", FOOD, "processed", ("Bánh tráng cuốn", "Thin rice paper for rolls"),
         ("Gói 500 g", "500 g pack"), 35000, "rice_paper/white",
         ("Bánh tráng mỏng, dẻo, không cần nhúng nước.", "Thin, supple rice paper that needs no soaking."),
         ("Cuốn thịt heo luộc, rau sống, chấm mắm nêm.", "Roll with boiled pork and herbs; dip in mắm nêm."),
         typical=True),
    line("red_brown_rice", FOOD, "raw_processed", ("Gạo lứt đỏ", "Red brown rice"), ("Túi 2 kg", "2 kg bag"),
         70000, "rice_bag/red",
         ("Gạo lứt đỏ xay xát nhẹ, giữ lớp cám.", "Red rice lightly milled to keep its bran."),
         ("Ngâm hai giờ trước khi nấu. Trồng theo hướng hữu cơ trên đồng ven sông Vệ.",
          "Soak for two hours before cooking. Grown organically on fields along the Vệ river.")),
    line("fragrant_rice", FOOD, "raw_processed", ("Gạo thơm", "Fragrant rice"), ("Túi 5 kg", "5 kg bag"),
         120000, "rice_bag/white",
         ("Gạo hạt dài, cơm mềm và thơm.", "Long-grain rice, soft and fragrant once cooked."),
         ("Vụ Đông Xuân, xay xát trong tuần, đóng túi hút chân không.",
          "Winter-spring crop, milled the week it is packed, vacuum-sealed.")),
    line("peanut_oil", FOOD, "processed", ("Dầu phộng ép", "Pressed peanut oil"), ("Chai 1 lít", "1 litre bottle"),
         110000, "bottle/golden",
         ("Dầu phộng ép từ đậu phộng địa phương, thơm béo.", "Oil pressed from local peanuts, rich and nutty."),
         ("Ép bằng máy ép vít, lắng lọc tự nhiên, không tẩy màu.",
          "Screw-pressed, settled and filtered naturally, never bleached.")),
    line("brown_rice_flour", FOOD, "processed", ("Bột gạo lứt rang", "Roasted brown-rice flour"),
         ("Hũ 500 g", "500 g jar"), 85000, "jar/brown",
         ("Gạo lứt rang chín, xay mịn, pha uống liền.", "Roasted brown rice ground fine, ready to drink."),
         ("Pha hai thìa với nước ấm hoặc sữa.", "Mix two spoonfuls with warm water or milk.")),
    # The mountains: honey, herbs, jar wine
    line("forest_honey", FOOD, "raw_processed", ("Mật ong rừng", "Wild forest honey"),
         ("Chai 500 ml", "500 ml bottle"), 280000, "bottle/honey",
         ("Mật ong khai thác từ tổ ong rừng, màu hổ phách, vị đậm.",
          "Honey gathered from wild forest hives: amber, strong."),
         ("Bà con chỉ lấy một phần tổ để đàn ong còn ở lại. Mật có thể kết tinh khi trời lạnh, đó là tự "
          "nhiên.",
          "Only part of each comb is taken so the colony stays. The honey may crystallise in cool weather; "
          "that is natural.")),
    line("honey_lime", FOOD, "processed", ("Mật ong ngâm chanh", "Honey with lime"), ("Hũ 500 ml", "500 ml jar"),
         150000, "jar/honey",
         ("Chanh thái lát ngâm mật ong, pha nước uống.", "Sliced limes steeped in honey, to mix into drinks."),
         ("Pha hai thìa với nước ấm. Bảo quản ngăn mát sau khi mở.",
          "Mix two spoonfuls with warm water. Refrigerate after opening.")),
    line("ruou_can", DRINKS, "alcoholic", ("Rượu cần Hrê", "Hrê jar rice wine"), ("Ché 2 lít", "2-litre jar"),
         260000, "wine_jar",
         ("Rượu cần ủ từ gạo, sắn và men lá rừng, uống bằng cần tre.",
          "Rice and cassava wine fermented with forest-leaf yeast, drunk through bamboo straws."),
         ("Đổ nước suối vào ché, chờ 15 phút rồi cắm cần. Không bán cho người dưới 18 tuổi.",
          "Fill the jar with spring water, wait 15 minutes and put in the straws. Not sold to anyone "
          "under 18.")),
    line("sa_nhan", HERBS, "herbal_medicine", ("Sa nhân tím", "Purple amomum (sa nhân)"),
         ("Túi 200 g", "200 g bag"), 180000, "seeds",
         ("Quả sa nhân hái dưới tán rừng, phơi khô, thơm cay.",
          "Amomum fruit picked under the forest canopy and dried, warm and aromatic."),
         ("Dùng làm gia vị hoặc theo hướng dẫn của thầy thuốc y học cổ truyền.",
          "Use as a spice, or as a traditional-medicine practitioner advises.")),
    line("che_day", HERBS, "herbal_medicine", ("Chè dây", "Chè dây climbing-vine tea"),
         ("Túi 300 g", "300 g bag"), 95000, "leaves",
         ("Lá chè dây rừng sao khô, nước vàng, vị đắng nhẹ rồi ngọt.",
          "Dried leaves of a forest vine; a golden infusion, slightly bitter, then sweet."),
         ("Hãm một nhúm với nước sôi như trà. Thực phẩm này không phải là thuốc.",
          "Steep a pinch in boiling water like tea. This food is not a medicine.")),
    line("ginger_tea", DRINKS, "non_alcoholic", ("Trà gừng", "Ginger tea"), ("Hộp 20 gói", "box of 20 sachets"),
         55000, "cup/golden",
         ("Trà gừng hòa tan từ gừng sẻ trồng trên nương.", "Instant tea of small hill-grown ginger."),
         ("Hòa một gói với nước nóng.", "Stir one sachet into hot water.")),
    line("turmeric_starch", HERBS, "functional_food", ("Tinh bột nghệ", "Turmeric starch"),
         ("Hũ 200 g", "200 g jar"), 150000, "jar/yellow",
         ("Tinh bột lọc từ củ nghệ vàng, mịn và thơm.",
          "Starch washed out of yellow turmeric roots, fine and fragrant."),
         ("Củ nghệ được xay, lọc nhiều lần để bỏ tinh dầu và nhựa. Pha với mật ong và nước ấm.",
          "Roots are ground and washed many times to remove oil and resin. Mix with honey and warm water.")),
    line("chewy_ginger", FOOD, "processed", ("Gừng sấy dẻo", "Chewy dried ginger"), ("Hộp 200 g", "200 g box"),
         60000, "ginger",
         ("Gừng non sên đường, sấy dẻo, cay ấm.", "Young ginger candied and dried until chewy, warm and spicy."),
         ("Ăn vặt hoặc dùng kèm trà.", "A snack, or a sweet with tea.")),
    # Crafts and flowers
    line("brocade_scarf", HANDICRAFTS, "weaving_brocade", ("Khăn thổ cẩm Hrê", "Hrê brocade scarf"),
         ("Chiếc 180 × 40 cm", "180 × 40 cm"), 350000, "brocade",
         ("Khăn dệt tay trên khung truyền thống, nền đen hoa văn đỏ.",
          "Hand-woven on a traditional loom: red patterns on black."),
         ("Mỗi chiếc khăn dệt mất khoảng ba ngày. Giặt tay bằng nước lạnh.",
          "Each scarf takes about three days to weave. Hand-wash in cold water."), typical=True),
    line("brocade_bag", HANDICRAFTS, "weaving_brocade", ("Túi xách thổ cẩm Hrê", "Hrê brocade handbag"),
         ("Chiếc", "each"), 480000, "bag",
         ("Túi xách may từ vải thổ cẩm dệt tay, quai da.", "A handbag of hand-woven brocade with leather handles."),
         ("Vải dệt ở làng, may và hoàn thiện tại cơ sở. Có lớp lót và túi trong.",
          "Woven in the village, sewn and finished in the workshop. Lined, with an inner pocket."),
         typical=True),
    line("brocade_skirt", HANDICRAFTS, "weaving_brocade", ("Váy thổ cẩm Hrê", "Hrê brocade skirt"),
         ("Chiếc", "each"), 1250000, "brocade/skirt",
         ("Váy quấn truyền thống của phụ nữ Hrê.", "The wrap skirt traditionally worn by Hrê women."),
         ("Dệt liền một khổ với các dải hoa văn đặc trưng. Mất khoảng hai tuần cho một chiếc.",
          "Woven in one piece with the characteristic pattern bands; about two weeks for one skirt."),
         typical=True),
    line("brocade_clutch", HANDICRAFTS, "weaving_brocade", ("Ví cầm tay thổ cẩm", "Brocade clutch"),
         ("Chiếc", "each"), 160000, "bag/small",
         ("Ví nhỏ từ vải thổ cẩm, khóa kéo.", "A small zipped clutch of brocade."),
         ("Tận dụng những khổ vải thổ cẩm nhỏ, mỗi chiếc một hoa văn.",
          "Made from small brocade pieces, so each one has its own pattern.")),
    line("brocade_runner", HANDICRAFTS, "weaving_brocade", ("Khăn trải bàn thổ cẩm", "Brocade table runner"),
         ("Chiếc 150 × 35 cm", "150 × 35 cm"), 420000, "brocade",
         ("Khăn trải bàn dệt tay, hợp làm quà.", "A hand-woven table runner, a good gift."),
         ("Giặt tay, phơi trong bóng râm để giữ màu.", "Hand-wash and dry in the shade to keep the colours.")),
    line("glazed_vase", HANDICRAFTS, "ceramics", ("Bình gốm men lam Mỹ Thiện", "Mỹ Thiện blue-glazed vase"),
         ("Chiếc cao 40 cm", "40 cm tall"), 450000, "vase",
         ("Bình gốm men lam nung lò củi ở làng gốm Mỹ Thiện.",
          "A blue-glazed vase fired in a wood kiln in the Mỹ Thiện pottery village."),
         ("Đất sét bên sông Trà Bồng, chuốt tay trên bàn xoay. Mỗi lò nung cho màu men hơi khác nhau.",
          "Clay from the Trà Bồng riverbank, thrown by hand. Every firing gives a slightly different glaze."),
         typical=True),
    line("tea_set", HANDICRAFTS, "ceramics", ("Bộ ấm trà gốm Mỹ Thiện", "Mỹ Thiện ceramic tea set"),
         ("Bộ 1 ấm 6 chén", "pot and 6 cups"), 380000, "teapot",
         ("Bộ ấm chén men vàng, giữ nhiệt tốt.", "A yellow-glazed tea set that keeps tea warm."),
         ("Rửa bằng nước ấm; không dùng trên bếp.", "Wash in warm water; not for use on a stove.")),
    line("ceramic_planter", HANDICRAFTS, "ceramics", ("Chậu gốm Mỹ Thiện", "Mỹ Thiện ceramic planter"),
         ("Chiếc đường kính 25 cm", "25 cm across"), 180000, "planter",
         ("Chậu trồng cây men xanh, có lỗ thoát nước.", "A green-glazed planter with a drainage hole."),
         ("Hợp trồng sen đá, cây để bàn.", "Suits succulents and desk plants.")),
    line("rattan_basket", HANDICRAFTS, "wood_bamboo", ("Giỏ mây tre đan", "Woven rattan basket"),
         ("Chiếc", "each"), 220000, "basket",
         ("Giỏ đan tay từ mây rừng và tre.", "A basket hand-woven from forest rattan and bamboo."),
         ("Phơi khô, chống mốc bằng khói bếp theo cách truyền thống.",
          "Dried and smoke-cured over the kitchen fire the traditional way.")),
    line("hre_back_basket", HANDICRAFTS, "wood_bamboo", ("Gùi mây Hrê", "Hrê rattan back-basket"),
         ("Chiếc", "each"), 380000, "basket/tall",
         ("Gùi đeo lưng đan mây của người Hrê, dùng trang trí hoặc đựng đồ.",
          "The Hrê rattan back-basket, for display or for carrying."),
         ("Đan bởi những người thợ lớn tuổi trong làng, mất khoảng một tuần mỗi chiếc.",
          "Woven by the village's older craftsmen; about a week for each one.")),
    line("button_chrysanthemum", ORNAMENTALS, "flowers", ("Chậu cúc mâm xôi", "Potted button chrysanthemums"),
         ("Chậu đường kính 35 cm", "35 cm pot"), 250000, "flower_pot/yellow",
         ("Chậu cúc mâm xôi tròn đều, nở đúng dịp Tết.", "A round dome of button chrysanthemums, in bloom for Tết."),
         ("Giao trong tỉnh. Tưới vừa đủ ẩm, đặt nơi có nắng sáng.",
          "Delivered within the province. Keep just moist, in morning sun.")),
    line("yellow_chrysanthemum", ORNAMENTALS, "flowers", ("Chậu cúc vàng", "Potted yellow chrysanthemums"),
         ("Chậu đường kính 25 cm", "25 cm pot"), 150000, "flower_pot/gold",
         ("Cúc vàng bông lớn trồng ở làng hoa.", "Large yellow chrysanthemums from the flower village."),
         ("Giao trong tỉnh. Hoa tươi hai đến ba tuần.",
          "Delivered within the province; blooms for two to three weeks.")),
    line("apricot_bonsai", ORNAMENTALS, "ornamental_plants", ("Mai vàng bonsai", "Yellow apricot bonsai"),
         ("Chậu cao 60 cm", "60 cm tall"), 1800000, "bonsai",
         ("Cây mai vàng uốn dáng bonsai, tuốt lá cho nở đúng Tết.",
          "A yellow apricot trained as a bonsai and leaf-stripped to bloom for Tết."),
         ("Giao trong tỉnh, kèm hướng dẫn chăm sóc sau Tết.",
          "Delivered within the province, with care notes for after Tết.")),
    line("phalaenopsis", ORNAMENTALS, "flowers", ("Lan hồ điệp", "Phalaenopsis orchid"),
         ("Chậu 3 cành", "pot of 3 stems"), 650000, "orchid",
         ("Lan hồ điệp trồng trong nhà màng, hoa bền cả tháng.",
          "Greenhouse-grown moth orchids that bloom for a month."),
         ("Giao trong tỉnh. Tưới phun sương hai ngày một lần.",
          "Delivered within the province. Mist every other day.")),
    # Places to visit (group 6): seen, not shipped
    line("quang_ngai_citadel", TOURISM, "tourist_site", ("Điểm du lịch Thành cổ Quảng Ngãi",
                                                          "Quảng Ngãi citadel heritage site"),
         ("Lượt tham quan", "visit"), None, "citadel",
         ("Dấu tích thành Quảng Ngãi thời Nguyễn bên bờ nam sông Trà Khúc.",
          "The remains of the Nguyễn-era Quảng Ngãi citadel on the south bank of the Trà Khúc river."),
         ("Tham quan miễn phí, có thuyết minh theo đoàn khi đặt trước. Mở cửa 7:00–17:00 hằng ngày.",
          "Free to visit; guided group tours when booked ahead. Open 7:00 am – 5:00 pm every day."),
         branded=False),
    line("go_co_village", TOURISM, "community_tourism", ("Công viên di sản làng Gò Cỏ",
                                                         "Gò Cỏ village heritage park"),
         ("Vé trải nghiệm/người", "experience ticket per person"), 150000, "village",
         ("Làng ven biển trên triền đá, nơi lưu dấu văn hóa Sa Huỳnh và nếp sống làng chài.",
          "A seaside village on a rocky slope that keeps traces of the Sa Huỳnh culture and the fishing "
          "life."),
         ("Vé gồm hướng dẫn viên người làng, trải nghiệm làm gốm, làm muối và bữa cơm làng. Đặt trước một ngày.",
          "The ticket covers a village guide, pottery and salt-making sessions and a village meal. Book a "
          "day ahead."), branded=False),
    line("ly_son_garlic_fields", TOURISM, "community_tourism", ("Trải nghiệm ruộng tỏi Lý Sơn",
                                                                "Lý Sơn garlic-field experience"),
         ("Vé/người", "ticket per person"), 120000, "garlic_field",
         ("Một buổi cùng nông dân trên ruộng tỏi phủ cát của đảo.",
          "A morning with farmers in the island's sand-covered garlic fields."),
         ("Xuống giống, tưới hoặc thu hoạch tùy mùa, kết thúc với tỏi nướng và gỏi tỏi. Nhóm tối đa 15 người.",
          "Planting, watering or harvesting depending on the season, ending with roast garlic and garlic "
          "salad. Groups of up to 15."), branded=False),
)}


@dataclass(frozen=True)
class Trade:
    key: str
    lines: tuple[str, ...]
    # How producers of the trade name themselves: "Công ty TNHH {enterprise} …", "HTX {cooperative} …",
    # "Cơ sở {establishment} …".
    enterprise: str
    cooperative: str
    establishment: str
    producer_story: Text
    product_story: Text
    heritage: Text
    craft_village: str | None = None  # producers in the village's commune belong to it


TRADES: dict[str, Trade] = {trade.key: trade for trade in (
    Trade("garlic", ("ly_son_garlic", "black_garlic", "single_clove_garlic", "black_single_clove",
                     "garlic_honey", "black_garlic_extract", "garlic_liquor"),
          "Nông sản", "Sản xuất và kinh doanh tỏi", "tỏi đen",
          Text("{producer} trồng và chế biến tỏi ở {commune} từ năm {year}. Như nhiều gia đình trên đảo, họ phủ "
               "lên ruộng một lớp cát trắng, tưới nước giếng, chăm từng luống tỏi qua mùa gió bấc rồi tự tay "
               "tuyển củ, phơi khô và ủ tỏi đen ngay trên đảo.",
               "{producer} has grown and processed garlic in {commune} since {year}. Like many island "
               "families they cover their fields with white sand, water them from wells, tend the beds "
               "through the windy season, then sort, dry and age the bulbs on the island itself."),
          Text("Mỗi vụ tỏi ở Lý Sơn bắt đầu khi trời vào thu, lúc bà con xuống giống trên những ruộng cát. "
               "{producer} giữ lại những củ chắc, đều nhất của vụ cho sản phẩm này.",
               "Each garlic season on Lý Sơn starts in autumn, when islanders plant their sand-covered "
               "fields. {producer} keeps the firmest, most even bulbs of the harvest for this product."),
          Text("Trồng tỏi trên cát là cách làm riêng của cư dân Lý Sơn: lớp cát giữ ẩm cho lớp đất đỏ bazan "
               "núi lửa bên dưới, làm nên củ tỏi nhỏ mà thơm nồng của đảo.",
               "Growing garlic on sand is the islanders' own method: the sand keeps moisture in the red "
               "volcanic basalt soil below, which gives the island's small, intensely fragrant garlic.")),
    Trade("shallot", ("ly_son_shallot", "fried_shallot", "pickled_shallot"),
          "Nông sản", "Nông nghiệp", "hành tím",
          Text("{producer} ở {commune} trồng hành tím trên ruộng cát của đảo từ năm {year}, tự phơi, phân loại "
               "và chế biến hành phi, hành ngâm.",
               "{producer} in {commune} has grown shallots on the island's sand fields since {year}, drying, "
               "grading and turning them into fried and pickled shallots."),
          Text("Hành được nhổ khi lá bắt đầu úa, buộc túm và hong gió trong nhà cho khô vỏ. {producer} chỉ "
               "dùng hành của những ruộng trên đảo.",
               "Shallots are pulled as their leaves wilt, tied in bunches and air-dried indoors. {producer} "
               "only uses shallots from the island's own fields."),
          Text("Cùng với tỏi, hành tím làm nên những cánh đồng xanh của Lý Sơn, trên nền đất núi lửa phủ cát "
               "biển.",
               "With garlic, shallots make the green fields of Lý Sơn, on volcanic soil covered in sea "
               "sand.")),
    Trade("island_sea", ("sun_dried_squid", "dried_seaweed"), "Thủy sản", "Dịch vụ nghề cá", "hải sản",
          Text("{producer} ở {commune} thu mua hải sản của các tàu cá trên đảo từ năm {year} và tự phơi, "
               "sấy theo cách của ngư dân Lý Sơn.",
               "{producer} in {commune} has bought from the island's fishing boats since {year} and dries "
               "the catch the way Lý Sơn fishermen do."),
          Text("Hải sản được sơ chế ngay khi tàu cập cảng, phơi trên giàn tre lộng gió biển.",
               "The catch is prepared as soon as the boats land, then dried on bamboo racks in the sea wind."),
          Text("Ngư dân Lý Sơn vươn khơi từ bao đời; từ đảo này, Hải đội Hoàng Sa xưa ra biển, và lễ Khao lề "
               "thế lính Hoàng Sa vẫn được tổ chức mỗi năm.",
               "Lý Sơn fishermen have sailed far for generations; the old Hoàng Sa flotilla left from this "
               "island, and its memorial rite is still held every year.")),
    Trade("garlic_fields", ("ly_son_garlic_fields", "ly_son_garlic"), "Du lịch", "Du lịch cộng đồng",
          "du lịch",
          Text("{producer} ở {commune} đón khách xuống ruộng tỏi cùng nông dân từ năm {year}, để du khách hiểu "
               "vì sao tỏi Lý Sơn thơm như vậy.",
               "Since {year} {producer} in {commune} has taken visitors into the garlic fields with farmers, "
               "to show why Lý Sơn garlic tastes the way it does."),
          Text("Các gia đình thành viên luân phiên đón khách, mỗi mùa một việc: xuống giống, tưới, thu hoạch.",
               "Member families take turns hosting, with a different task each season: planting, "
               "watering, harvesting."),
          Text("Ruộng tỏi trên cát là cảnh quan riêng của Lý Sơn, hình thành từ sức lao động của nhiều thế hệ "
               "cư dân đảo.",
               "The sand-covered garlic fields are Lý Sơn's own landscape, built by generations of "
               "islanders.")),
    Trade("cinnamon", ("tra_bong_cinnamon", "cinnamon_oil", "cinnamon_incense", "cinnamon_powder",
                       "cinnamon_tea", "cinnamon_soap", "cinnamon_gift_box", "cinnamon_liquor"),
          "Quế", "Nông lâm nghiệp", "quế",
          Text("{producer} ở {commune} thu mua quế từ vườn của bà con người Cor và chế biến từ năm {year}: bóc "
               "vỏ, ủ, phơi, chưng cất tinh dầu và làm nhang ngay tại địa phương.",
               "{producer} in {commune} has bought cinnamon from Cor families' gardens since {year} and "
               "processes it locally: peeling, curing, drying, distilling oil and making incense."),
          Text("Quế Trà Bồng được trồng trên các sườn đồi và phải nhiều năm mới cho lớp vỏ dày, nhiều tinh dầu. "
               "{producer} chỉ dùng quế có nguồn gốc trong vùng chỉ dẫn địa lý.",
               "Trà Bồng cinnamon grows on hillsides and takes many years to form thick, oil-rich bark. "
               "{producer} only uses cinnamon from within the geographical-indication area."),
          Text("Cây quế gắn bó với đời sống người Cor ở Trà Bồng qua nhiều thế hệ. Quế vỏ Trà Bồng được bảo "
               "hộ chỉ dẫn địa lý.",
               "Cinnamon has been part of the Cor people's life in Trà Bồng for generations. Trà Bồng "
               "cinnamon bark is a registered geographical indication.")),
    Trade("malt", ("thi_pho_malt", "keo_guong", "malt_peanut_candy", "puffed_rice_cake", "ginger_malt"),
          "Thực phẩm", "Mạch nha", "mạch nha",
          Text("{producer} ở {commune} nấu mạch nha từ năm {year}, theo công thức gia đình truyền lại: gạo nếp "
               "ngon, mầm lúa tự ủ và lửa riu riu suốt nhiều giờ.",
               "{producer} in {commune} has cooked malt syrup since {year} to a family recipe: good "
               "glutinous rice, home-sprouted rice and a low fire for many hours."),
          Text("Mỗi mẻ mạch nha của {producer} nấu gần trọn một ngày, đến khi nha trong và kéo sợi vàng óng.",
               "Each batch at {producer} cooks for most of a day, until the syrup is clear and pulls into "
               "golden threads."),
          Text("Làng Thi Phổ ở Mộ Đức nổi tiếng với nghề nấu mạch nha; mạch nha ăn với bánh tráng nướng và "
               "kẹo gương là món quà quê của người Quảng Ngãi.",
               "Thi Phổ village in Mộ Đức is famous for malt syrup; malt with grilled rice paper, and kẹo "
               "gương candy, are the classic Quảng Ngãi gifts."),
          craft_village="thi-pho-malt"),
    Trade("sugar", ("rock_sugar", "puffed_sugar", "cane_molasses"), "Mía đường", "Nông nghiệp", "đường",
          Text("{producer} ở {commune} làm đường phèn, đường phổi từ năm {year}, giữ cách nấu đường thủ công "
               "trong chảo gang.",
               "{producer} in {commune} has made rock sugar and đường phổi since {year}, still cooking the "
               "sugar by hand in cast-iron pans."),
          Text("Nước mía được ép trong ngày, nấu và để kết tinh chậm, nên mỗi mẻ đường mất nhiều ngày.",
               "Cane juice is pressed the same day, cooked and left to crystallise slowly, so each batch "
               "takes several days."),
          Text("Đồng bằng sông Trà Khúc từng là vùng mía đường lớn; đường phèn, đường phổi Quảng Ngãi là đặc "
               "sản được nhiều thế hệ biết đến.",
               "The Trà Khúc plain was long a great sugarcane region; Quảng Ngãi rock sugar and đường phổi "
               "have been known for generations.")),
    Trade("salt", ("sa_huynh_salt", "salt_flakes", "shrimp_salt", "green_chilli_salt"),
          "Muối", "Sản xuất muối", "muối",
          Text("{producer} làm muối ở {commune} từ năm {year}. Những ô ruộng muối được giữ theo lối cũ, còn "
               "khâu đóng gói đã đạt chuẩn an toàn thực phẩm.",
               "{producer} has made salt in {commune} since {year}. The salt fields are kept the old way; "
               "the packing now meets food-safety standards."),
          Text("Muối được cào vào những buổi chiều nắng gắt, để ráo trong kho tre ít nhất ba tháng trước "
               "khi đóng gói.",
               "Salt is raked on hot afternoons and rests in a bamboo store for at least three months "
               "before packing."),
          Text("Nghề muối Sa Huỳnh có từ lâu đời; vùng đất này cũng là nơi phát hiện nền văn hóa Sa Huỳnh "
               "cách nay hơn hai nghìn năm.",
               "Salt making in Sa Huỳnh goes back a long way; the area also gave its name to the Sa Huỳnh "
               "culture of more than two thousand years ago."),
          craft_village="sa-huynh-salt"),
    Trade("fish_sauce", ("anchovy_fish_sauce", "first_press_fish_sauce", "mam_nem", "shrimp_paste"),
          "Nước mắm", "Chế biến thủy sản", "nước mắm",
          Text("{producer} ở {commune} ủ nước mắm từ năm {year}, với những thùng gỗ chượp cá cơm đặt ngay bên "
               "làng chài.",
               "{producer} in {commune} has made fish sauce since {year}, in wooden fermenting barrels set "
               "right by the fishing village."),
          Text("Cá cơm được ướp muối ngay khi thuyền cập bến, ủ tròn một năm trước khi rút mắm.",
               "The anchovies are salted as soon as the boats land and ferment a full year before the "
               "sauce is drawn."),
          Text("Các làng chài ven biển Quảng Ngãi ủ chượp cá cơm với muối trong thùng gỗ, chum sành theo cách "
               "cha ông để lại.",
               "The fishing villages of the Quảng Ngãi coast ferment anchovies with salt in wooden barrels "
               "and stoneware jars, as their ancestors did.")),
    Trade("dried_seafood", ("dried_anchovies", "fish_cake", "sun_dried_mackerel", "dried_squid"),
          "Thủy sản", "Dịch vụ nghề cá", "hải sản khô",
          Text("{producer} ở {commune} sơ chế và phơi hải sản từ năm {year}, mua trực tiếp của ghe thuyền "
               "địa phương.",
               "{producer} in {commune} has prepared and dried seafood since {year}, buying straight from "
               "local boats."),
          Text("Hải sản được làm sạch trong ngày và phơi trên giàn lưới cao, tránh cát và bụi.",
               "The catch is cleaned the day it lands and dried on raised nets, away from sand and dust."),
          Text("Phơi cá trên bãi biển là cảnh quen của các làng chài Quảng Ngãi mỗi mùa cá nam.",
               "Fish drying on the beach is a familiar sight in Quảng Ngãi fishing villages every "
               "southern-wind season.")),
    Trade("river_fish", ("braised_goby", "caramelised_goby"), "Thực phẩm", "Nông nghiệp", "cá bống",
          Text("{producer} ở {commune} kho cá bống sông Trà từ năm {year}, mua cá của những người đánh lưới "
               "trên sông Trà Khúc.",
               "{producer} in {commune} has braised Trà river gobies since {year}, buying from the net "
               "fishers of the Trà Khúc river."),
          Text("Cá được làm sạch, ướp nước mắm ngon rồi kho nhiều giờ trong nồi đất trên bếp củi.",
               "The fish are cleaned, marinated in good fish sauce and braised for hours in clay pots over "
               "a wood fire."),
          Text("Cá bống sông Trà kho tiêu là món quà quê nổi tiếng của Quảng Ngãi, người xa quê thường mang "
               "theo.",
               "Trà river gobies braised with pepper are Quảng Ngãi's famous hometown gift, taken along by "
               "those who live far away.")),
    Trade("lingzhi", ("red_lingzhi", "sliced_lingzhi", "lingzhi_tea", "oyster_mushroom"),
          "Nấm dược liệu", "Sản xuất và kinh doanh nấm", "nấm",
          Text("{producer} ở {commune} trồng nấm từ năm {year}, trong những nhà nấm thoáng khí với giá thể mùn "
               "cưa tự phối trộn.",
               "{producer} in {commune} has grown mushrooms since {year}, in airy mushroom houses on its "
               "own sawdust mix."),
          Text("Mỗi tai nấm linh chi cần ba đến bốn tháng để trưởng thành trước khi được hái và sấy lạnh.",
               "Each lingzhi cap takes three to four months to mature before it is picked and dried at low "
               "temperature."),
          Text("Linh chi được dùng trong ẩm thực và y học cổ truyền phương Đông từ lâu; nghề trồng nấm giúp "
               "nhiều hộ ở Quảng Ngãi có thêm thu nhập.",
               "Lingzhi has long been used in East Asian food and traditional medicine; mushroom growing "
               "gives many Quảng Ngãi households extra income.")),
    Trade("dried_beef", ("dried_beef", "shredded_beef", "lime_leaf_beef"), "Thực phẩm", "Nông nghiệp",
          "bò khô",
          Text("{producer} ở {commune} làm bò khô từ năm {year}, dùng bò vàng địa phương và gia vị tự giã.",
               "{producer} in {commune} has made dried beef since {year} from local yellow cattle and "
               "hand-pounded spices."),
          Text("Thịt bò được ướp qua đêm với ớt, sả, tỏi Lý Sơn rồi sấy, không dùng phẩm màu.",
               "The beef marinates overnight with chilli, lemongrass and Lý Sơn garlic, then dries; no "
               "colouring is used."),
          Text("Bò vàng được nuôi thả trên các vùng đồi trung du Quảng Ngãi; bò khô là món quà quen của người "
               "đi xa.",
               "Yellow cattle graze the midland hills of Quảng Ngãi; dried beef is a familiar gift for "
               "those travelling far.")),
    Trade("rice_paper", ("sesame_rice_paper", "brown_rice_paper", "thin_rice_paper"), "Thực phẩm",
          "Nông nghiệp", "bánh tráng",
          Text("{producer} ở {commune} tráng bánh từ năm {year}; mỗi sáng lò bánh đỏ lửa từ bốn giờ.",
               "{producer} in {commune} has made rice paper since {year}; every morning the griddles are "
               "lit at four."),
          Text("Gạo được ngâm, xay thành bột nước, tráng mỏng trên khuôn vải căng miệng nồi rồi phơi trên "
               "vỉ tre.",
               "Rice is soaked and ground to a batter, spread thin on cloth stretched over a steaming pot, "
               "then dried on bamboo racks."),
          Text("Bánh tráng nướng chấm mạch nha, bánh tráng cuốn chấm mắm nêm là những món ăn dân dã của người "
               "Quảng Ngãi.",
               "Grilled rice paper dipped in malt, and rice-paper rolls dipped in mắm nêm, are everyday "
               "Quảng Ngãi food.")),
    Trade("rice", ("red_brown_rice", "fragrant_rice", "peanut_oil", "brown_rice_flour"), "Nông sản",
          "Nông nghiệp", "nông sản",
          Text("{producer} ở {commune} canh tác lúa và đậu phộng từ năm {year}, theo hướng giảm phân thuốc "
               "hóa học.",
               "{producer} in {commune} has farmed rice and peanuts since {year}, cutting back chemical "
               "fertilisers and sprays."),
          Text("Lúa được gặt, phơi và xay xát tại chỗ; đậu phộng ép dầu ngay sau vụ thu hoạch.",
               "Rice is harvested, dried and milled on the spot; peanuts are pressed right after harvest."),
          Text("Đồng bằng sông Vệ và sông Trà Khúc là vựa lúa của Quảng Ngãi.",
               "The plains of the Vệ and Trà Khúc rivers are Quảng Ngãi's rice bowl.")),
    Trade("brocade", ("brocade_scarf", "brocade_bag", "brocade_skirt", "brocade_clutch", "brocade_runner"),
          "Thổ cẩm", "Dệt thổ cẩm", "dệt thổ cẩm",
          Text("{producer} ở {commune} dệt thổ cẩm từ năm {year}, quy tụ phụ nữ Hrê trong làng cùng giữ nghề "
               "và truyền nghề cho con cháu.",
               "{producer} in {commune} has woven brocade since {year}, bringing the village's Hrê women "
               "together to keep the craft and pass it on."),
          Text("Mỗi hoa văn trên tấm vải đều có tên và ý nghĩa riêng, được các bà, các mẹ dạy lại cho con gái.",
               "Every pattern on the cloth has its own name and meaning, taught by grandmothers and mothers "
               "to their daughters."),
          Text("Nghề dệt thổ cẩm của người Hrê ở Ba Tơ, như ở làng Teng, đã có từ lâu đời, với sắc đỏ và đen "
               "đặc trưng.",
               "Hrê brocade weaving in Ba Tơ, as in the village of Teng, is an old craft with its "
               "characteristic red and black."),
          craft_village="ba-to-brocade"),
    Trade("pottery", ("glazed_vase", "tea_set", "ceramic_planter"), "Gốm", "Gốm", "gốm",
          Text("{producer} ở {commune} làm gốm từ năm {year}, vẫn giữ lò củi và bàn xoay đạp chân của làng.",
               "{producer} in {commune} has made pottery since {year}, keeping the village's wood kiln and "
               "kick wheel."),
          Text("Mỗi sản phẩm được chuốt tay, phơi khô rồi nung cùng mẻ lò kéo dài hơn một ngày đêm.",
               "Each piece is thrown by hand, dried, then fired in a kiln load that burns for more than a "
               "day and a night."),
          Text("Làng gốm Mỹ Thiện bên sông Trà Bồng có lịch sử hàng trăm năm, nổi tiếng với gốm men.",
               "The Mỹ Thiện pottery village on the Trà Bồng river is centuries old and known for its "
               "glazed ware."),
          craft_village="my-thien-pottery"),
    Trade("honey", ("forest_honey", "honey_lime"), "Nông lâm sản", "Nông lâm nghiệp", "mật ong",
          Text("{producer} ở {commune} khai thác mật ong rừng cùng bà con trong làng từ năm {year}.",
               "{producer} in {commune} has gathered wild honey with village families since {year}."),
          Text("Mật chỉ được lấy vào mùa hoa rừng, lọc qua vải và để lắng tự nhiên trước khi đóng chai.",
               "Honey is only taken in the forest's flowering season, strained through cloth and left to "
               "settle before bottling."),
          Text("Người Hrê và Ca Dong ở miền núi Quảng Ngãi có kinh nghiệm lâu đời tìm tổ ong và lấy mật mà "
               "vẫn giữ đàn.",
               "The Hrê and Ca Dong peoples of the Quảng Ngãi highlands have long known how to find hives "
               "and take honey while keeping the colony.")),
    Trade("jar_wine", ("ruou_can",), "Đồ uống", "Nông nghiệp", "rượu cần",
          Text("{producer} ở {commune} ủ rượu cần từ năm {year} bằng men lá rừng tự làm.",
               "{producer} in {commune} has made jar wine since {year} with home-made forest-leaf yeast."),
          Text("Men được giã từ nhiều loại lá rừng; rượu ủ trong ché ít nhất một tháng.",
               "The yeast is pounded from several forest leaves; the wine ferments in the jar for at least "
               "a month."),
          Text("Rượu cần hiện diện trong các lễ hội và dịp vui của người Hrê, uống chung bằng những cần tre.",
               "Jar wine is part of every Hrê festival and celebration, shared through bamboo straws.")),
    Trade("mountain_herbs", ("sa_nhan", "che_day", "ginger_tea", "turmeric_starch", "chewy_ginger"),
          "Dược liệu", "Nông lâm nghiệp", "dược liệu",
          Text("{producer} ở {commune} trồng và thu hái dược liệu dưới tán rừng từ năm {year}.",
               "{producer} in {commune} has grown and gathered herbs under the forest canopy since {year}."),
          Text("Cây được trồng xen dưới tán rừng tự nhiên, thu hái đúng mùa và phơi sấy tại chỗ.",
               "The plants grow among the natural forest, are harvested in season and dried on the spot."),
          Text("Miền núi Quảng Ngãi có nhiều cây thuốc quý mà đồng bào dân tộc thiểu số đã dùng từ lâu đời.",
               "The Quảng Ngãi highlands hold many medicinal plants long used by their ethnic-minority "
               "peoples.")),
    Trade("flowers", ("button_chrysanthemum", "yellow_chrysanthemum", "apricot_bonsai", "phalaenopsis"),
          "Hoa cây cảnh", "Hoa cây cảnh", "hoa",
          Text("{producer} ở {commune} trồng hoa và cây cảnh từ năm {year}; mỗi năm vụ hoa Tết là mùa bận rộn "
               "nhất.",
               "{producer} in {commune} has grown flowers and ornamental plants since {year}; the Tết crop "
               "is the busiest season of every year."),
          Text("Cây được chăm từ giữa năm, bấm ngọn và điều chỉnh nước để nở đúng dịp.",
               "Plants are tended from mid-year, pinched and watered so they bloom right on time."),
          Text("Làng hoa Nghĩa Hà ven thành phố Quảng Ngãi cung cấp hoa Tết cho cả tỉnh.",
               "The Nghĩa Hà flower village on the edge of Quảng Ngãi city supplies Tết flowers to the "
               "whole province.")),
    Trade("basketry", ("rattan_basket", "hre_back_basket"), "Mây tre", "Mây tre đan", "mây tre đan",
          Text("{producer} ở {commune} đan mây tre từ năm {year}, cùng những người thợ lớn tuổi trong làng.",
               "{producer} in {commune} has woven rattan and bamboo since {year}, with the village's older "
               "craftsmen."),
          Text("Mây được lấy từ rừng, chẻ nan, phơi và hun khói trước khi đan.",
               "Rattan comes from the forest; it is split, dried and smoked before weaving."),
          Text("Chiếc gùi gắn với đời sống lên nương, xuống suối của người Hrê.",
               "The back-basket goes with the Hrê to the fields and the streams.")),
    Trade("citadel", ("quang_ngai_citadel",), "Du lịch", "Du lịch", "du lịch",
          Text("{producer} tổ chức tham quan và thuyết minh về thành cổ Quảng Ngãi từ năm {year}.",
               "{producer} has run visits and guided talks on the Quảng Ngãi citadel since {year}."),
          Text("Hướng dẫn viên kể lại lịch sử thành và vùng đất Quảng Ngãi qua các dấu tích còn lại.",
               "Guides tell the story of the citadel and of Quảng Ngãi through what remains of it."),
          Text("Thành Quảng Ngãi được triều Nguyễn xây xong năm 1815 ở bờ nam sông Trà Khúc, còn gọi là Cẩm "
               "Thành.",
               "The Nguyễn dynasty completed the Quảng Ngãi citadel, also called Cẩm Thành, in 1815 on "
               "the south bank of the Trà Khúc river.")),
    Trade("go_co", ("go_co_village", "turmeric_starch"), "Du lịch", "Du lịch cộng đồng", "du lịch",
          Text("{producer} ở {commune} được các hộ trong làng lập nên năm {year} để cùng làm du lịch cộng đồng "
               "và giữ gìn cảnh quan làng.",
               "{producer} in {commune} was founded by the village households in {year} to run community "
               "tourism together and look after the village."),
          Text("Người làng vừa là chủ nhà vừa là hướng dẫn viên, đón khách bằng bữa cơm và nghề truyền thống.",
               "Villagers are both hosts and guides, welcoming visitors with a home meal and their "
               "traditional crafts."),
          Text("Gò Cỏ nằm trên triền đá ven biển Sa Huỳnh, nơi còn dấu tích văn hóa Sa Huỳnh và Chăm-pa.",
               "Gò Cỏ sits on a rocky slope by the Sa Huỳnh sea, among traces of the Sa Huỳnh and Champa "
               "cultures.")),
)}
